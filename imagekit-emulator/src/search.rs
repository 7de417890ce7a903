//! The simple forms of the list API's `searchQuery`:
//!
//! ```text
//! name = "shoe.jpg"            name : "sho"          (contains, ignoring case)
//! name IN ["a.jpg", "b.jpg"]   name NOT IN [...]     name != "x"
//! tags IN ["sale", "new"]      tags NOT IN [...]     tags = "sale"
//! createdAt > "7d"             updatedAt <= "2025-01-01T00:00:10Z"   (relative: s, m, h, d, w)
//! size > 1024                  width >= 100          height < 50
//! type = "file"                fileType = "image"    format = "png"     mime = "image/png"
//! path = "/a/b"                (in that folder)      path : "/a"        (in it or below)
//! ( ... ) AND ( ... ) OR ...
//! ```
//!
//! `AND` binds tighter than `OR`; keywords are case-insensitive.

/// What a query is evaluated against: one file, file version or folder.
#[derive(Clone, Debug)]
pub(crate) struct Item<'a> {
    pub(crate) kind: &'a str,
    pub(crate) name: &'a str,
    /// The folder it is in (`""` for the root, else `/a/b`).
    pub(crate) folder: &'a str,
    pub(crate) tags: &'a [String],
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
    pub(crate) size: f64,
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) mime: &'a str,
    pub(crate) file_type: &'a str,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Number(f64),
    Op(&'static str),
    Open,
    Close,
    ListOpen,
    ListClose,
    Comma,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Literal {
    Text(String),
    Number(f64),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Contains,
    Gt,
    Ge,
    Lt,
    Le,
    In,
    NotIn,
}

/// A parsed query.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Query {
    Compare { field: String, op: Op, values: Vec<Literal> },
    And(Box<Query>, Box<Query>),
    Or(Box<Query>, Box<Query>),
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' | ')' | '[' | ']' | ',' | ':' | '=' => {
                tokens.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    '[' => Token::ListOpen,
                    ']' => Token::ListClose,
                    ',' => Token::Comma,
                    ':' => Token::Op(":"),
                    _ => Token::Op("="),
                });
                i += 1;
            }
            '!' | '>' | '<' => {
                let two = chars.get(i + 1) == Some(&'=');
                let op = match (c, two) {
                    ('!', true) => "!=",
                    ('>', true) => ">=",
                    ('<', true) => "<=",
                    ('>', false) => ">",
                    ('<', false) => "<",
                    _ => return None,
                };
                tokens.push(Token::Op(op));
                i += if two { 2 } else { 1 };
            }
            '"' | '\'' => {
                let mut text = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return None,
                        Some('\\') => {
                            text.push(*chars.get(i + 1)?);
                            i += 2;
                        }
                        Some(q) if *q == c => {
                            i += 1;
                            break;
                        }
                        Some(other) => {
                            text.push(*other);
                            i += 1;
                        }
                    }
                }
                tokens.push(Token::Text(text));
            }
            c if c.is_ascii_digit() || c == '-' || c == '.' => {
                let start = i;
                i += 1;
                while chars.get(i).is_some_and(|c| c.is_ascii_digit() || *c == '.') {
                    i += 1;
                }
                let number: String = chars[start..i].iter().collect();
                tokens.push(Token::Number(number.parse().ok()?));
            }
            c if c.is_alphanumeric() || c == '_' => {
                let start = i;
                while chars.get(i).is_some_and(|c| c.is_alphanumeric() || *c == '_') {
                    i += 1;
                }
                tokens.push(Token::Word(chars[start..i].iter().collect()));
            }
            _ => return None,
        }
    }
    Some(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn or(&mut self) -> Option<Query> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.at += 1;
            left = Query::Or(Box::new(left), Box::new(self.and()?));
        }
        Some(left)
    }

    fn and(&mut self) -> Option<Query> {
        let mut left = self.primary()?;
        while self.keyword("and") {
            self.at += 1;
            left = Query::And(Box::new(left), Box::new(self.primary()?));
        }
        Some(left)
    }

    fn primary(&mut self) -> Option<Query> {
        if self.peek() == Some(&Token::Open) {
            self.depth += 1;
            if self.depth > 32 {
                return None;
            }
            self.at += 1;
            let inner = self.or()?;
            if self.next()? != Token::Close {
                return None;
            }
            self.depth -= 1;
            return Some(inner);
        }
        let Token::Word(field) = self.next()? else { return None };
        let op = match self.next()? {
            Token::Op("=") => Op::Eq,
            Token::Op("!=") => Op::Ne,
            Token::Op(":") => Op::Contains,
            Token::Op(">") => Op::Gt,
            Token::Op(">=") => Op::Ge,
            Token::Op("<") => Op::Lt,
            Token::Op("<=") => Op::Le,
            Token::Word(w) if w.eq_ignore_ascii_case("in") => Op::In,
            Token::Word(w) if w.eq_ignore_ascii_case("not") => match self.next()? {
                Token::Word(w) if w.eq_ignore_ascii_case("in") => Op::NotIn,
                _ => return None,
            },
            _ => return None,
        };
        let values = if matches!(op, Op::In | Op::NotIn) {
            if self.next()? != Token::ListOpen {
                return None;
            }
            let mut values = Vec::new();
            loop {
                values.push(literal(self.next()?)?);
                match self.next()? {
                    Token::Comma => continue,
                    Token::ListClose => break,
                    _ => return None,
                }
            }
            values
        } else {
            vec![literal(self.next()?)?]
        };
        Some(Query::Compare { field, op, values })
    }
}

fn literal(token: Token) -> Option<Literal> {
    match token {
        Token::Text(text) => Some(Literal::Text(text)),
        Token::Number(n) => Some(Literal::Number(n)),
        Token::Word(w) => Some(Literal::Text(w)),
        _ => None,
    }
}

/// Parses a `searchQuery`; `None` when it is not one of the supported forms.
pub(crate) fn parse(text: &str) -> Option<Query> {
    if text.len() > 4096 {
        return None;
    }
    let mut parser = Parser { tokens: tokenize(text)?, at: 0, depth: 0 };
    let query = parser.or()?;
    let fields_known = query.check();
    (parser.at == parser.tokens.len() && fields_known).then_some(query)
}

/// A time from a literal: a relative age (`"7d"`: now minus 7 days) or an ISO 8601 date.
fn time_of(literal: &Literal, now_ms: i64) -> Option<i64> {
    let Literal::Text(text) = literal else { return None };
    let text = text.trim();
    let unit = text.chars().last()?;
    let amount = &text[..text.len() - unit.len_utf8()];
    if let Ok(n) = amount.parse::<i64>() {
        let ms = match unit {
            's' => 1_000,
            'm' => 60_000,
            'h' => 3_600_000,
            'd' => 86_400_000,
            'w' => 604_800_000,
            _ => return None,
        };
        return now_ms.checked_sub(n.checked_mul(ms)?);
    }
    super::state::parse_iso8601(text)
}

fn text_of(literal: &Literal) -> String {
    match literal {
        Literal::Text(t) => t.clone(),
        Literal::Number(n) => n.to_string(),
    }
}

impl Query {
    fn check(&self) -> bool {
        match self {
            Query::And(a, b) | Query::Or(a, b) => a.check() && b.check(),
            Query::Compare { field, op, values } => {
                let ordered = matches!(op, Op::Gt | Op::Ge | Op::Lt | Op::Le);
                match field.as_str() {
                    "name" | "type" | "fileType" | "format" | "mime" | "path" => !ordered,
                    "tags" => !ordered,
                    "createdAt" | "updatedAt" => {
                        !matches!(op, Op::Contains | Op::In | Op::NotIn)
                            && values.iter().all(|v| time_of(v, 0).is_some())
                    }
                    "size" | "width" | "height" => {
                        !matches!(op, Op::Contains | Op::In | Op::NotIn)
                            && values.iter().all(|v| matches!(v, Literal::Number(_)))
                    }
                    _ => false,
                }
            }
        }
    }

    /// Whether the query tests `field` anywhere.
    pub(crate) fn mentions(&self, name: &str) -> bool {
        match self {
            Query::And(a, b) | Query::Or(a, b) => a.mentions(name) || b.mentions(name),
            Query::Compare { field, .. } => field == name,
        }
    }

    /// Whether `item` matches, with relative ages counted back from `now_ms`.
    pub(crate) fn matches(&self, item: &Item<'_>, now_ms: i64) -> bool {
        match self {
            Query::And(a, b) => a.matches(item, now_ms) && b.matches(item, now_ms),
            Query::Or(a, b) => a.matches(item, now_ms) || b.matches(item, now_ms),
            Query::Compare { field, op, values } => match field.as_str() {
                "tags" => {
                    let any = values.iter().any(|v| item.tags.contains(&text_of(v)));
                    match op {
                        Op::Eq | Op::In => any,
                        Op::Ne | Op::NotIn => !any,
                        Op::Contains => values.iter().any(|v| {
                            let needle = text_of(v).to_lowercase();
                            item.tags.iter().any(|t| t.to_lowercase().contains(&needle))
                        }),
                        _ => false,
                    }
                }
                "createdAt" | "updatedAt" => {
                    let actual = if field == "createdAt" { item.created_at } else { item.updated_at };
                    let Some(wanted) = values.first().and_then(|v| time_of(v, now_ms)) else {
                        return false;
                    };
                    compare(op, actual as f64, wanted as f64)
                }
                "size" | "width" | "height" => {
                    let actual = match field.as_str() {
                        "size" => item.size,
                        "width" => item.width,
                        _ => item.height,
                    };
                    match values.first() {
                        Some(Literal::Number(n)) => compare(op, actual, *n),
                        _ => false,
                    }
                }
                "path" => {
                    let folder =
                        |v: &Literal| super::state::normalise_folder(&text_of(v)).unwrap_or_default();
                    let within = |v: &Literal| {
                        let root = folder(v);
                        item.folder == root
                            || item.folder.strip_prefix(root.as_str()).is_some_and(|r| r.starts_with('/'))
                    };
                    match op {
                        Op::Eq | Op::In => values.iter().any(|v| item.folder == folder(v)),
                        Op::Ne | Op::NotIn => !values.iter().any(|v| item.folder == folder(v)),
                        Op::Contains => values.iter().any(within),
                        _ => false,
                    }
                }
                _ => {
                    let format = item.mime.rsplit('/').next().unwrap_or_default();
                    let actual = match field.as_str() {
                        "name" => item.name,
                        "type" => item.kind,
                        "fileType" => item.file_type,
                        "mime" => item.mime,
                        _ => format,
                    };
                    let equal = |v: &Literal| text_of(v) == actual;
                    match op {
                        Op::Eq | Op::In => values.iter().any(equal),
                        Op::Ne | Op::NotIn => !values.iter().any(equal),
                        Op::Contains => {
                            values.iter().any(|v| actual.to_lowercase().contains(&text_of(v).to_lowercase()))
                        }
                        _ => false,
                    }
                }
            },
        }
    }
}

fn compare(op: &Op, actual: f64, wanted: f64) -> bool {
    match op {
        Op::Eq => actual == wanted,
        Op::Ne => actual != wanted,
        Op::Gt => actual > wanted,
        Op::Ge => actual >= wanted,
        Op::Lt => actual < wanted,
        Op::Le => actual <= wanted,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>(name: &'a str, tags: &'a [String], created_at: i64) -> Item<'a> {
        Item {
            kind: "file",
            name,
            folder: "/a/b",
            tags,
            created_at,
            updated_at: created_at,
            size: 10.0,
            width: 0.0,
            height: 0.0,
            mime: "image/png",
            file_type: "image",
        }
    }

    #[test]
    fn simple_forms() {
        let tags = vec!["sale".to_owned(), "new".to_owned()];
        let a = item("shoe.png", &tags, 10_000);
        let q = |text: &str| parse(text).unwrap_or_else(|| panic!("{text} should parse"));
        assert!(q(r#"name = "shoe.png""#).matches(&a, 0));
        assert!(q(r#"name : "SHO""#).matches(&a, 0));
        assert!(!q(r#"name != "shoe.png""#).matches(&a, 0));
        assert!(q(r#"tags IN ["x", "sale"]"#).matches(&a, 0));
        assert!(!q(r#"tags NOT IN ["new"]"#).matches(&a, 0));
        assert!(q(r#"createdAt > "5s""#).matches(&a, 12_000));
        assert!(!q(r#"createdAt > "1s""#).matches(&a, 12_000));
        assert!(q(r#"createdAt >= "1970-01-01T00:00:10Z""#).matches(&a, 0));
        assert!(q(r#"size > 5 AND (name = "x" OR format = "png")"#).matches(&a, 0));
        assert!(!q(r#"size > 5 AND name = "x" OR fileType = "non-image""#).matches(&a, 0));
        assert!(q(r#"path = "/a/b/""#).matches(&a, 0));
        assert!(!q(r#"path = "/a""#).matches(&a, 0));
        assert!(q(r#"path : "/a""#).matches(&a, 0));
        assert!(!q(r#"path : "/a/bc""#).matches(&a, 0));
    }

    #[test]
    fn unsupported_forms_are_rejected() {
        for text in [
            "",
            "name",
            "name =",
            "nope = 1",
            "size : 3",
            "createdAt > \"soon\"",
            // Once a panic in debug builds (the year overflowed the day count).
            "createdAt > \"999999999999999999-01-01\"",
            "updatedAt < \"2025-01-01T-1:00:00\"",
            "(name = \"a\"",
            "name = \"a",
            "tags IN [\"a\"",
        ] {
            assert!(parse(text).is_none(), "{text}");
        }
    }
}
