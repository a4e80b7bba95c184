#include "config/yaml_loader.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "config/yaml_tree.hpp"

namespace vmc::config {

namespace {

std::size_t count_digits(std::string_view s, std::size_t pos) {
    std::size_t n = 0;
    while (pos + n < s.size() && s[pos + n] >= '0' && s[pos + n] <= '9')
        ++n;
    return n;
}

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool looks_like_float(std::string_view s) {
    std::size_t pos = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    std::size_t whole = count_digits(s, pos);
    pos += whole;
    if (pos < s.size() && s[pos] == '.') {
        std::size_t fraction = count_digits(s, pos + 1);
        if (whole == 0 && fraction == 0) return false;
        pos += 1 + fraction;
    } else if (whole == 0) {
        return false;
    }
    if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
        ++pos;
        if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) ++pos;
        std::size_t exponent = count_digits(s, pos);
        if (exponent == 0) return false;
        pos += exponent;
    }
    return pos == s.size();
}

bool all_of_class(std::string_view s, const char* chars) {
    return !s.empty() && s.find_first_not_of(chars) == std::string_view::npos;
}

// Parses an unsigned integer in `base`; false on overflow.
bool parse_unsigned(std::string_view digits, int base, uint64_t& value) {
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
    return ec == std::errc() && ptr == digits.data() + digits.size();
}

enum class IntForm { NotInt, Ok, Overflow };

IntForm parse_core_int(const std::string& text, nlohmann::json& out) {
    std::string_view s = text;
    if (s.starts_with("0x") && all_of_class(s.substr(2), "0123456789abcdefABCDEF")) {
        uint64_t v = 0;
        if (!parse_unsigned(s.substr(2), 16, v)) return IntForm::Overflow;
        out = v;
        return IntForm::Ok;
    }
    if (s.starts_with("0o") && all_of_class(s.substr(2), "01234567")) {
        uint64_t v = 0;
        if (!parse_unsigned(s.substr(2), 8, v)) return IntForm::Overflow;
        out = v;
        return IntForm::Ok;
    }
    bool negative = s.starts_with('-');
    if (s.starts_with('-') || s.starts_with('+')) s.remove_prefix(1);
    if (!all_of_class(s, "0123456789")) return IntForm::NotInt;
    uint64_t v = 0;
    if (!parse_unsigned(s, 10, v)) return IntForm::Overflow;
    if (!negative) {
        out = v;
        return IntForm::Ok;
    }
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return IntForm::Overflow;
    out = -static_cast<int64_t>(v);
    return IntForm::Ok;
}

} // namespace

nlohmann::json resolve_plain_scalar(const std::string& text) {
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
        return nullptr;
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    nlohmann::json number;
    switch (parse_core_int(text, number)) {
    case IntForm::Ok:
        return number;
    case IntForm::Overflow:
        return text; // the loader reports it
    case IntForm::NotInt:
        break;
    }
    if (looks_like_float(text)) return std::strtod(text.c_str(), nullptr);
    std::string_view magnitude = text;
    if (magnitude.starts_with('-') || magnitude.starts_with('+')) magnitude.remove_prefix(1);
    if (magnitude == ".inf" || magnitude == ".Inf" || magnitude == ".INF")
        return text[0] == '-' ? -std::numeric_limits<double>::infinity()
                              : std::numeric_limits<double>::infinity();
    if (text == ".nan" || text == ".NaN" || text == ".NAN")
        return std::numeric_limits<double>::quiet_NaN();
    return text;
}

namespace {

class Converter {
public:
    Converter(const YamlTree& tree, const std::string& file, Diagnostics& diagnostics,
              Document& doc)
        : tree_(tree), file_(file), diagnostics_(diagnostics), doc_(doc) {}

    // Aliases can make a document refer to itself or grow exponentially;
    // machine files are small and shallow, so both are cut off early.
    static constexpr int kMaxDepth = 64;
    static constexpr std::size_t kMaxNodes = 100'000;

    nlohmann::json convert(uint32_t index, const std::string& pointer, int depth = 0) {
        // Once a limit is hit the document is refused: converting the rest
        // would only repeat the expansion the limit is there to stop (an
        // alias cycle inside a wide list would still walk up to kMaxNodes).
        if (too_big_) return nullptr;
        const YamlNode& node = tree_.node(index);
        model::SourceMark mark = mark_of(node);
        if (depth > kMaxDepth || ++nodes_ > kMaxNodes) {
            diagnostics_.error(mark, "",
                               depth > kMaxDepth
                                   ? "nested too deeply (does an alias refer to itself?)"
                                   : "too many values (after expanding aliases)");
            too_big_ = true;
            return nullptr;
        }
        if (mark.line > 0) doc_.value_marks[pointer] = mark;
        switch (node.kind) {
        case YamlNode::Kind::Null:
            return nullptr;
        case YamlNode::Kind::Scalar:
            return scalar(node, pointer, mark);
        case YamlNode::Kind::Sequence: {
            nlohmann::json out = nlohmann::json::array();
            std::size_t position = 0;
            for (uint32_t item : node.children)
                out.push_back(convert(item, pointer_child(pointer, position++), depth + 1));
            return out;
        }
        case YamlNode::Kind::Map:
            return map(node, pointer, depth);
        }
        return nullptr;
    }

private:
    model::SourceMark mark_of(const YamlNode& node) const {
        return {file_, node.line, node.line > 0 ? node.column : 0};
    }

    nlohmann::json scalar(const YamlNode& node, const std::string& pointer,
                          const model::SourceMark& mark) {
        if (node.quoted) return node.text;
        nlohmann::json value = resolve_plain_scalar(node.text);
        nlohmann::json unused;
        if (value.is_string() && parse_core_int(node.text, unused) == IntForm::Overflow)
            diagnostics_.error(mark, dotted_path(pointer),
                               "integer " + node.text + " does not fit in 64 bits");
        return value;
    }

    nlohmann::json map(const YamlNode& node, const std::string& pointer, int depth) {
        nlohmann::json out = nlohmann::json::object();
        std::map<std::string, model::SourceMark> seen;
        for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
            const YamlNode& key = tree_.node(node.children[i]);
            model::SourceMark key_mark = mark_of(key);
            if (key.kind != YamlNode::Kind::Scalar) {
                diagnostics_.error(key.kind == YamlNode::Kind::Null ? mark_of(node) : key_mark,
                                   dotted_path(pointer),
                                   key.kind == YamlNode::Kind::Null
                                       ? "a map key is empty"
                                       : "map keys must be plain names, not lists or maps");
                continue;
            }
            const std::string& name = key.text;
            std::string child = pointer_child(pointer, name);
            if (auto it = seen.find(name); it != seen.end()) {
                diagnostics_.error(key_mark, dotted_path(child),
                                   fmt_duplicate(name, it->second.line),
                                   "remove one of them, or rename it");
                continue;
            }
            seen.emplace(name, key_mark);
            doc_.key_order[pointer].push_back(name);
            doc_.key_marks[child] = key_mark;
            nlohmann::json value = convert(node.children[i + 1], child, depth + 1);
            // An empty value (`initrd:`) has no position of its own.
            if (!doc_.value_marks.contains(child)) doc_.value_marks[child] = key_mark;
            out[name] = std::move(value);
        }
        return out;
    }

    static std::string fmt_duplicate(const std::string& name, int first_line) {
        return "duplicate key '" + name + "' (first set on line " + std::to_string(first_line) +
               ")";
    }

    const YamlTree& tree_;
    const std::string& file_;
    Diagnostics& diagnostics_;
    Document& doc_;
    std::size_t nodes_ = 0;
    bool too_big_ = false;
};

// YAML forbids tabs in indentation; the parser's own messages about them are
// cryptic, so they are found first.
bool report_tabs(std::string_view text, const std::string& file, Diagnostics& diagnostics) {
    bool found = false;
    int line = 1;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        std::string_view content = text.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        std::size_t indent_end = content.find_first_not_of(" \t");
        std::string_view indent = content.substr(0, indent_end);
        std::size_t tab = indent.find('\t');
        bool comment_or_blank = indent_end == std::string_view::npos || content[indent_end] == '#';
        if (tab != std::string_view::npos && !comment_or_blank) {
            diagnostics.error({file, line, static_cast<int>(tab) + 1}, "",
                              "tab character in indentation", "YAML indents with spaces only");
            found = true;
        }
        if (end == std::string_view::npos) break;
        start = end + 1;
        ++line;
    }
    return found;
}

} // namespace

std::optional<Document> load_yaml_text(std::string_view text, const std::string& source_name,
                                       Diagnostics& diagnostics, const std::string& prefix) {
    if (report_tabs(text, source_name, diagnostics)) return std::nullopt;
    auto parsed = parse_yaml(text);
    if (auto* error = std::get_if<YamlSyntaxError>(&parsed)) {
        diagnostics.error({source_name, error->line, error->column}, "",
                          "YAML syntax error: " + error->message);
        return std::nullopt;
    }
    const YamlTree& tree = std::get<YamlTree>(parsed);
    Document doc;
    if (tree.empty()) { // an empty text is a null document
        doc.root = nullptr;
        return doc;
    }
    std::size_t errors_before = diagnostics.size();
    Converter converter(tree, source_name, diagnostics, doc);
    doc.root = converter.convert(tree.root, prefix);
    if (diagnostics.size() != errors_before) return std::nullopt;
    return doc;
}

std::optional<Document> load_yaml_file(const std::string& path, Diagnostics& diagnostics) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        diagnostics.error({path, 0, 0}, "",
                          std::string("cannot read file: ") + std::strerror(errno));
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return load_yaml_text(text.str(), path, diagnostics);
}

} // namespace vmc::config
