#include "config/yaml_tree.hpp"

#include <cstring>
#include <map>

#include <yaml.h>

namespace vmc::config {

namespace {

constexpr const char* kStringTag = "tag:yaml.org,2002:str";

// libyaml's parser and event, released on every path out.
struct Parser {
    yaml_parser_t p;
    explicit Parser(std::string_view text) {
        yaml_parser_initialize(&p);
        yaml_parser_set_input_string(&p, reinterpret_cast<const unsigned char*>(text.data()),
                                     text.size());
    }
    ~Parser() { yaml_parser_delete(&p); }
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;
};

struct Event {
    yaml_event_t e{};
    ~Event() { yaml_event_delete(&e); }
};

// Line and column (1-based) of a byte offset, for errors that carry only one.
YamlSyntaxError error_at_offset(std::string_view text, std::size_t offset, std::string message) {
    offset = std::min(offset, text.size());
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    return {line, static_cast<int>(offset - line_start) + 1, std::move(message)};
}

YamlSyntaxError parser_error(const yaml_parser_t& p, std::string_view text) {
    std::string message = p.problem ? p.problem : "malformed YAML";
    if (p.error == YAML_READER_ERROR) return error_at_offset(text, p.problem_offset, message);
    if (p.context)
        message += " (" + std::string(p.context) + " that starts at line " +
                   std::to_string(p.context_mark.line + 1) + ")";
    return {static_cast<int>(p.problem_mark.line) + 1, static_cast<int>(p.problem_mark.column) + 1,
            message};
}

class TreeBuilder {
public:
    // Adds a node at the event's position and hangs it under the open collection.
    uint32_t add(YamlNode::Kind kind, const yaml_mark_t& mark) {
        auto index = static_cast<uint32_t>(tree_.nodes.size());
        YamlNode node;
        node.kind = kind;
        node.line = static_cast<int>(mark.line) + 1;
        node.column = static_cast<int>(mark.column) + 1;
        tree_.nodes.push_back(std::move(node));
        attach(index);
        return index;
    }

    void attach(uint32_t index) {
        if (open_.empty())
            tree_.root = index;
        else
            tree_.nodes[open_.back()].children.push_back(index);
    }

    void anchor(const yaml_char_t* name, uint32_t index) {
        if (name) anchors_[reinterpret_cast<const char*>(name)] = index;
    }
    // The anchored node; registered when its collection opens, so an alias
    // inside its own anchor makes a cycle (cut off by the reader's depth limit).
    const uint32_t* find_anchor(const yaml_char_t* name) const {
        auto it = anchors_.find(reinterpret_cast<const char*>(name));
        return it == anchors_.end() ? nullptr : &it->second;
    }

    void open(uint32_t index) { open_.push_back(index); }
    void close() {
        if (!open_.empty()) open_.pop_back();
    }

    YamlTree& tree() { return tree_; }

private:
    YamlTree tree_;
    std::vector<uint32_t> open_;
    std::map<std::string, uint32_t> anchors_;
};

void add_scalar(TreeBuilder& builder, const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    const char* tag = reinterpret_cast<const char*>(s.tag);
    bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
    bool string_tag = tag && (std::strcmp(tag, kStringTag) == 0 || std::strcmp(tag, "!") == 0);
    if (plain && s.length == 0 && !tag) {
        // `key:` with nothing after it: a null without a position of its own.
        uint32_t index = builder.add(YamlNode::Kind::Null, e.start_mark);
        YamlNode& node = builder.tree().nodes[index];
        node.line = node.column = 0;
        builder.anchor(s.anchor, index);
        return;
    }
    uint32_t index = builder.add(YamlNode::Kind::Scalar, e.start_mark);
    YamlNode& node = builder.tree().nodes[index];
    node.text.assign(reinterpret_cast<const char*>(s.value), s.length);
    node.quoted = !plain || string_tag;
    builder.anchor(s.anchor, index);
}

} // namespace

std::variant<YamlTree, YamlSyntaxError> parse_yaml(std::string_view text) {
    Parser parser(text);
    TreeBuilder builder;
    for (;;) {
        Event event;
        if (!yaml_parser_parse(&parser.p, &event.e)) return parser_error(parser.p, text);
        const yaml_event_t& e = event.e;
        switch (e.type) {
        case YAML_DOCUMENT_END_EVENT: // only the first document counts
        case YAML_STREAM_END_EVENT:
            return std::move(builder.tree());
        case YAML_ALIAS_EVENT: {
            const uint32_t* target = builder.find_anchor(e.data.alias.anchor);
            if (!target)
                return YamlSyntaxError{
                    static_cast<int>(e.start_mark.line) + 1,
                    static_cast<int>(e.start_mark.column) + 1,
                    "unknown alias *" +
                        std::string(reinterpret_cast<const char*>(e.data.alias.anchor)) +
                        " (no &anchor of that name before it)"};
            builder.attach(*target);
            break;
        }
        case YAML_SCALAR_EVENT:
            add_scalar(builder, e);
            break;
        case YAML_SEQUENCE_START_EVENT: {
            uint32_t index = builder.add(YamlNode::Kind::Sequence, e.start_mark);
            builder.anchor(e.data.sequence_start.anchor, index);
            builder.open(index);
            break;
        }
        case YAML_MAPPING_START_EVENT: {
            uint32_t index = builder.add(YamlNode::Kind::Map, e.start_mark);
            builder.anchor(e.data.mapping_start.anchor, index);
            builder.open(index);
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            builder.close();
            break;
        default: // stream and document starts
            break;
        }
    }
}

} // namespace vmc::config
