// A value bound to one `?` placeholder of a statement (store code never splices values into SQL).
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kallithea::db {

// NULL, a 64-bit integer, a double, a boolean (0/1 on SQLite, true/false on PostgreSQL) or text.
struct Param {
    using Value = std::variant<std::monostate, int64_t, double, bool, std::string>;
    Value value;

    Param() = default;  // NULL
    Param(std::nullptr_t) {}
    Param(std::nullopt_t) {}
    Param(bool v) : value(v) {}
    template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>) Param(T v)
        : value(static_cast<int64_t>(v)) {}
    Param(double v) : value(v) {}
    Param(std::string v) : value(std::move(v)) {}
    Param(std::string_view v) : value(std::string(v)) {}
    Param(const char* v) : value(std::string(v)) {}
    template <class T>
    Param(const std::optional<T>& v) {
        if (v)
            value = Param(*v).value;
    }

    bool is_null() const { return std::holds_alternative<std::monostate>(value); }
};

}  // namespace kallithea::db
