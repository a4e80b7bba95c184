#include "dot_reader.hpp"

#include <cctype>

namespace vmc::test {

namespace {

struct Token {
    enum Kind { Id, Punct, End } kind;
    std::string text;
};

std::vector<Token> tokenize(const std::string& s) {
    std::vector<Token> out;
    size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (c == '"') {
            std::string text;
            for (++i; i < s.size() && s[i] != '"'; ++i) {
                if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) ++i;
                text += s[i];
            }
            if (i >= s.size()) throw std::runtime_error("unterminated string");
            ++i;
            out.push_back({Token::Id, text});
        } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '>') {
            out.push_back({Token::Punct, "->"});
            i += 2;
        } else if (std::string_view("{}[]=;,").find(c) != std::string_view::npos) {
            out.push_back({Token::Punct, std::string(1, c)});
            ++i;
        } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.') {
            size_t start = i;
            while (i < s.size() &&
                   (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '.'))
                ++i;
            out.push_back({Token::Id, s.substr(start, i - start)});
        } else {
            throw std::runtime_error(std::string("unexpected character ") + c);
        }
    }
    out.push_back({Token::End, ""});
    return out;
}

class Reader {
public:
    explicit Reader(const std::string& text) : tokens_(tokenize(text)) {}

    DotGraph read() {
        expect_id("digraph");
        graph_.name = id();
        expect("{");
        statements("");
        if (peek().kind != Token::End) throw std::runtime_error("text after the graph");
        return graph_;
    }

private:
    const Token& peek() const { return tokens_[pos_]; }
    bool at(const std::string& punct) const {
        return peek().kind == Token::Punct && peek().text == punct;
    }
    void expect(const std::string& punct) {
        if (!at(punct)) throw std::runtime_error("expected " + punct + " before " + peek().text);
        ++pos_;
    }
    std::string id() {
        if (peek().kind != Token::Id) throw std::runtime_error("expected an id at " + peek().text);
        return tokens_[pos_++].text;
    }
    void expect_id(const std::string& word) {
        if (id() != word) throw std::runtime_error("expected " + word);
    }
    std::map<std::string, std::string> attributes() {
        std::map<std::string, std::string> attrs;
        if (!at("[")) return attrs;
        expect("[");
        while (!at("]")) {
            std::string key = id();
            expect("=");
            attrs[key] = id();
            if (at(",") || at(";")) ++pos_;
        }
        expect("]");
        return attrs;
    }
    void statements(const std::string& subgraph) {
        while (!at("}")) {
            if (peek().kind == Token::End) throw std::runtime_error("unterminated graph");
            std::string first = id();
            if (first == "subgraph") {
                std::string name = id();
                expect("{");
                graph_.subgraph_attrs[name];
                statements(name);
            } else if (at("=")) {
                ++pos_;
                std::string value = id();
                if (!subgraph.empty()) graph_.subgraph_attrs[subgraph][first] = value;
            } else if (first == "node" || first == "edge" || first == "graph") {
                attributes();
            } else if (at("->")) {
                ++pos_;
                DotEdge e{first, id(), {}};
                e.attrs = attributes();
                graph_.edges.push_back(std::move(e));
            } else {
                DotNode n{first, subgraph, attributes()};
                graph_.nodes[first] = std::move(n);
            }
            if (at(";")) ++pos_;
        }
        expect("}");
    }

    std::vector<Token> tokens_;
    size_t pos_ = 0;
    DotGraph graph_;
};

} // namespace

DotGraph read_dot(const std::string& text) {
    return Reader(text).read();
}

} // namespace vmc::test
