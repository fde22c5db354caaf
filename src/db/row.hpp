// One result row: every column arrives as text (or NULL) and is converted on access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kallithea::db {

class Row {
public:
    Row() = default;
    explicit Row(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}

    size_t size() const { return cells_.size(); }
    // Column indexes are 0-based; an index past the end is a bug (std::out_of_range).
    bool is_null(size_t i) const { return !cells_.at(i).has_value(); }

    // NULL or malformed values give 0 / 0.0 / false / "" (NOT NULL columns never hold them).
    int64_t i64(size_t i) const;
    double f64(size_t i) const;
    // 1/0 (SQLite) and t/f (PostgreSQL) alike; also "true"/"True".
    bool boolean(size_t i) const;
    std::string text(size_t i) const;
    // A DATETIME/TIMESTAMP column as "YYYY-MM-DD HH:MM:SS.ffffff" on both dialects
    // (PostgreSQL drops trailing zeros of the fraction; they are put back).
    std::string datetime(size_t i) const;

    std::optional<int64_t> opt_i64(size_t i) const;
    std::optional<double> opt_f64(size_t i) const;
    std::optional<bool> opt_boolean(size_t i) const;
    std::optional<std::string> opt_text(size_t i) const { return cells_.at(i); }
    std::optional<std::string> opt_datetime(size_t i) const;

    // get<T>(i) for T in int64_t, double, bool, std::string and std::optional of those.
    template <class T>
    T get(size_t i) const;

private:
    std::vector<std::optional<std::string>> cells_;
};

template <>
inline int64_t Row::get<int64_t>(size_t i) const {
    return i64(i);
}
template <>
inline double Row::get<double>(size_t i) const {
    return f64(i);
}
template <>
inline bool Row::get<bool>(size_t i) const {
    return boolean(i);
}
template <>
inline std::string Row::get<std::string>(size_t i) const {
    return text(i);
}
template <>
inline std::optional<int64_t> Row::get<std::optional<int64_t>>(size_t i) const {
    return opt_i64(i);
}
template <>
inline std::optional<double> Row::get<std::optional<double>>(size_t i) const {
    return opt_f64(i);
}
template <>
inline std::optional<bool> Row::get<std::optional<bool>>(size_t i) const {
    return opt_boolean(i);
}
template <>
inline std::optional<std::string> Row::get<std::optional<std::string>>(size_t i) const {
    return opt_text(i);
}

}  // namespace kallithea::db
