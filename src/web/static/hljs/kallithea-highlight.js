// Highlights the file view's code table with highlight.js in the language the server chose
// (data-language); never auto-detects. The page is complete without this script.
(function () {
  'use strict';
  var kMaxChars = 1024 * 1024;

  // Splits highlighted HTML into lines, closing the open spans at each line end and reopening
  // them on the next line, so every table row holds balanced markup.
  function splitLines(html) {
    var lines = [];
    var open = [];
    var current = '';
    var tag = /<span[^>]*>|<\/span>|\n/g;
    var last = 0;
    var m;
    while ((m = tag.exec(html)) !== null) {
      current += html.slice(last, m.index);
      last = tag.lastIndex;
      if (m[0] === '\n') {
        lines.push(current + repeat('</span>', open.length));
        current = open.join('');
      } else if (m[0] === '</span>') {
        open.pop();
        current += m[0];
      } else {
        open.push(m[0]);
        current += m[0];
      }
    }
    lines.push(current + html.slice(last) + repeat('</span>', open.length));
    return lines;
  }

  function repeat(s, n) {
    var out = '';
    for (var i = 0; i < n; i++) out += s;
    return out;
  }

  function highlightTable(table) {
    var language = table.getAttribute('data-language');
    if (!language || language === 'plaintext' || !window.hljs || !hljs.getLanguage(language)) {
      return;
    }
    var cells = table.querySelectorAll('td.line > code');
    var texts = [];
    var total = 0;
    for (var i = 0; i < cells.length; i++) {
      texts.push(cells[i].textContent);
      total += texts[i].length + 1;
      if (total > kMaxChars) return;
    }
    // Debian's 9.18 build logs an end-of-life notice on first use unless told not to.
    hljs.configure({hideUpgradeWarningAcceptNoSupportOrSecurityUpdates: true});
    var result = hljs.highlight(language, texts.join('\n'), true);
    if (cells.length === 1) {  // the source view: the whole file in one block
      cells[0].innerHTML = result.value;
      table.classList.add('hljs-done');
      return;
    }
    var lines = splitLines(result.value);
    if (lines.length !== cells.length) return;
    for (var j = 0; j < cells.length; j++) {
      cells[j].innerHTML = lines[j];
    }
    table.classList.add('hljs-done');
  }

  function run() {
    var tables = document.querySelectorAll('table.code[data-language]');
    for (var i = 0; i < tables.length; i++) highlightTable(tables[i]);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', run);
  } else {
    run();
  }
})();
