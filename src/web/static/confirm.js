// Asks before submitting a form (or through a button) that carries data-confirm="question";
// replaces inline onsubmit/onclick handlers, which the Content-Security-Policy forbids.
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute('data-confirm')) ||
        (form.getAttribute && form.getAttribute('data-confirm'));
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
})();
