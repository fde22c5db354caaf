// Conversions of text cells to the types store code asks for.
#include "db/row.hpp"

#include <charconv>
#include <cstdlib>

namespace kallithea::db {

std::optional<int64_t> Row::opt_i64(size_t i) const {
    const auto& cell = cells_.at(i);
    if (!cell)
        return std::nullopt;
    int64_t value = 0;
    const char* begin = cell->data();
    const char* end = begin + cell->size();
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end) {
        // A REAL holding a whole number ("3.0") still reads as an integer.
        return static_cast<int64_t>(std::strtod(cell->c_str(), nullptr));
    }
    return value;
}

std::optional<double> Row::opt_f64(size_t i) const {
    const auto& cell = cells_.at(i);
    if (!cell)
        return std::nullopt;
    return std::strtod(cell->c_str(), nullptr);
}

std::optional<bool> Row::opt_boolean(size_t i) const {
    const auto& cell = cells_.at(i);
    if (!cell)
        return std::nullopt;
    const std::string& v = *cell;
    return v == "1" || v == "t" || v == "true" || v == "True" || v == "TRUE" || v == "y";
}

std::optional<std::string> Row::opt_datetime(size_t i) const {
    const auto& cell = cells_.at(i);
    if (!cell)
        return std::nullopt;
    std::string v = *cell;
    if (v.size() > 10 && v[10] == 'T')
        v[10] = ' ';
    if (v.size() < 19)
        return v;  // not a timestamp we know how to normalise; leave it as stored
    std::string fraction;
    if (v.size() > 20 && v[19] == '.')
        fraction = v.substr(20, 6);
    fraction.resize(6, '0');
    return v.substr(0, 19) + "." + fraction;
}

int64_t Row::i64(size_t i) const {
    return opt_i64(i).value_or(0);
}

double Row::f64(size_t i) const {
    return opt_f64(i).value_or(0.0);
}

bool Row::boolean(size_t i) const {
    return opt_boolean(i).value_or(false);
}

std::string Row::text(size_t i) const {
    return cells_.at(i).value_or(std::string());
}

std::string Row::datetime(size_t i) const {
    return opt_datetime(i).value_or(std::string());
}

}  // namespace kallithea::db
