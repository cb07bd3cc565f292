//! A JSON value that behaves as Umkoin Core's `UniValue` does where a user can see it:
//! numbers keep the text they were read with, objects keep their keys in order (and may
//! hold a key twice, as Core's `pushKVEnd` allows), strings are escaped the way Core's
//! writer escapes them, and pretty output uses Core's layout (`[\n]` for an empty array).

use std::fmt::Write as _;

/// One JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its JSON text.
    Num(String),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Value>),
    /// An object: keys in insertion order, duplicates possible.
    Obj(Vec<(String, Value)>),
}

/// The shared `null` that lookups of missing members return, as Core's `NullUniValue`.
pub static NULL: Value = Value::Null;

/// A type mismatch or range error, with Core's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(pub String);

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

impl Value {
    /// An empty object.
    pub fn object() -> Value {
        Value::Obj(Vec::new())
    }

    /// A number from an integer.
    pub fn int(n: i64) -> Value {
        Value::Num(n.to_string())
    }

    /// Core's `uvTypeName`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Obj(_) => "object",
            Value::Arr(_) => "array",
            Value::Str(_) => "string",
            Value::Num(_) => "number",
        }
    }

    fn type_error(&self, expected: &str) -> JsonError {
        JsonError(format!(
            "JSON value of type {} is not of expected type {expected}",
            self.type_name()
        ))
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this is a number.
    pub fn is_num(&self) -> bool {
        matches!(self, Value::Num(_))
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Obj(_))
    }

    /// Core's `empty()`: no members (true for every scalar).
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Arr(v) => v.is_empty(),
            Value::Obj(v) => v.is_empty(),
            _ => true,
        }
    }

    /// The member `key` of an object (the first, if repeated), else `null`.
    pub fn get(&self, key: &str) -> &Value {
        match self {
            Value::Obj(members) => members
                .iter()
                .find(|(k, _)| k == key)
                .map_or(&NULL, |(_, v)| v),
            _ => &NULL,
        }
    }

    /// The elements of an array or the values of an object, as Core's `getValues`.
    pub fn values(&self) -> Result<Vec<&Value>, JsonError> {
        match self {
            Value::Arr(v) => Ok(v.iter().collect()),
            Value::Obj(v) => Ok(v.iter().map(|(_, v)| v).collect()),
            _ => Err(JsonError(
                "JSON value is not an object or array as expected".to_owned(),
            )),
        }
    }

    /// The keys of an object, as Core's `getKeys`.
    pub fn keys(&self) -> Result<Vec<&str>, JsonError> {
        match self {
            Value::Obj(v) => Ok(v.iter().map(|(k, _)| k.as_str()).collect()),
            other => Err(other.type_error("object")),
        }
    }

    /// Number of elements or members (0 for scalars), as Core's `size()`.
    pub fn len(&self) -> usize {
        match self {
            Value::Arr(v) => v.len(),
            Value::Obj(v) => v.len(),
            _ => 0,
        }
    }

    /// Core's `getValStr`: a number's text, a string's value, `"1"`/`""` for a boolean,
    /// `""` for anything else.
    pub fn val_str(&self) -> String {
        match self {
            Value::Num(s) | Value::Str(s) => s.clone(),
            Value::Bool(true) => "1".to_owned(),
            _ => String::new(),
        }
    }

    /// Core's `get_str`.
    pub fn get_str(&self) -> Result<&str, JsonError> {
        match self {
            Value::Str(s) => Ok(s),
            other => Err(other.type_error("string")),
        }
    }

    /// Core's `get_bool`.
    pub fn get_bool(&self) -> Result<bool, JsonError> {
        match self {
            Value::Bool(b) => Ok(*b),
            other => Err(other.type_error("bool")),
        }
    }

    /// Core's `getInt<T>`: the number's text must be an integer in range of `T`.
    pub fn get_int<T: std::str::FromStr>(&self) -> Result<T, JsonError> {
        match self {
            // JSON number text never starts with '+', so Rust's parser accepts exactly
            // what `std::from_chars` accepts here.
            Value::Num(s) => s
                .parse::<T>()
                .map_err(|_| JsonError("JSON integer out of range".to_owned())),
            other => Err(other.type_error("number")),
        }
    }

    /// Core's `get_real`.
    pub fn get_real(&self) -> Result<f64, JsonError> {
        match self {
            Value::Num(s) => s
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| JsonError("JSON double out of range".to_owned())),
            other => Err(other.type_error("number")),
        }
    }

    /// Core's `get_obj`: this value, if it is an object.
    pub fn get_obj(&self) -> Result<&Value, JsonError> {
        match self {
            Value::Obj(_) => Ok(self),
            other => Err(other.type_error("object")),
        }
    }

    /// Core's `pushKV`: replace the first member named `key`, or append.
    pub fn push_kv(&mut self, key: &str, value: Value) {
        if let Value::Obj(members) = self {
            match members.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => members.push((key.to_owned(), value)),
            }
        }
    }

    /// Core's `pushKVEnd`: append, even if `key` is already there.
    pub fn push_kv_end(&mut self, key: &str, value: Value) {
        if let Value::Obj(members) = self {
            members.push((key.to_owned(), value));
        }
    }

    /// Compact text, as Core's `write()`.
    pub fn write(&self) -> String {
        let mut s = String::new();
        self.write_to(0, 0, &mut s);
        s
    }

    /// Pretty text, as Core's `write(indent)`.
    pub fn write_pretty(&self, indent: usize) -> String {
        let mut s = String::new();
        self.write_to(indent, 0, &mut s);
        s
    }

    fn write_to(&self, pretty: usize, level: usize, s: &mut String) {
        let level = level.max(1);
        match self {
            Value::Null => s.push_str("null"),
            Value::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
            Value::Num(n) => s.push_str(n),
            Value::Str(v) => escape_into(v, s),
            Value::Arr(items) => {
                s.push('[');
                if pretty > 0 {
                    s.push('\n');
                }
                for (i, item) in items.iter().enumerate() {
                    if pretty > 0 {
                        push_indent(pretty * level, s);
                    }
                    item.write_to(pretty, level + 1, s);
                    if i + 1 != items.len() {
                        s.push(',');
                    }
                    if pretty > 0 {
                        s.push('\n');
                    }
                }
                if pretty > 0 {
                    push_indent(pretty * (level - 1), s);
                }
                s.push(']');
            }
            Value::Obj(members) => {
                s.push('{');
                if pretty > 0 {
                    s.push('\n');
                }
                for (i, (k, v)) in members.iter().enumerate() {
                    if pretty > 0 {
                        push_indent(pretty * level, s);
                    }
                    escape_into(k, s);
                    s.push(':');
                    if pretty > 0 {
                        s.push(' ');
                    }
                    v.write_to(pretty, level + 1, s);
                    if i + 1 != members.len() {
                        s.push(',');
                    }
                    if pretty > 0 {
                        s.push('\n');
                    }
                }
                if pretty > 0 {
                    push_indent(pretty * (level - 1), s);
                }
                s.push('}');
            }
        }
    }

    /// Parse JSON text as Core's `UniValue::read` does; `None` where Core fails.
    pub fn parse(text: &[u8]) -> Option<Value> {
        Parser { raw: text, pos: 0 }.parse_document()
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Str(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(s)
    }
}

fn push_indent(n: usize, s: &mut String) {
    s.extend(std::iter::repeat_n(' ', n));
}

fn escape_into(v: &str, s: &mut String) {
    s.push('"');
    for c in v.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\u{8}' => s.push_str("\\b"),
            '\t' => s.push_str("\\t"),
            '\n' => s.push_str("\\n"),
            '\u{c}' => s.push_str("\\f"),
            '\r' => s.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                // Writing to a String cannot fail.
                let _ = write!(s, "\\u{:04x}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
}

/// Core's `MAX_JSON_DEPTH`.
const MAX_DEPTH: usize = 512;

struct Parser<'a> {
    raw: &'a [u8],
    pos: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.raw.len() && is_space(self.raw[self.pos]) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.raw.get(self.pos).copied()
    }

    fn parse_document(mut self) -> Option<Value> {
        let v = self.parse_value(0)?;
        self.skip_ws();
        (self.pos == self.raw.len()).then_some(v)
    }

    fn parse_value(&mut self, depth: usize) -> Option<Value> {
        self.skip_ws();
        match self.peek()? {
            b'{' => {
                if depth + 1 > MAX_DEPTH {
                    return None;
                }
                self.pos += 1;
                let mut members = Vec::new();
                self.skip_ws();
                if self.peek()? == b'}' {
                    self.pos += 1;
                    return Some(Value::Obj(members));
                }
                loop {
                    self.skip_ws();
                    if self.peek()? != b'"' {
                        return None;
                    }
                    let key = self.parse_string()?;
                    self.skip_ws();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.pos += 1;
                    let v = self.parse_value(depth + 1)?;
                    members.push((key, v));
                    self.skip_ws();
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b'}' => {
                            self.pos += 1;
                            return Some(Value::Obj(members));
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                if depth + 1 > MAX_DEPTH {
                    return None;
                }
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.peek()? == b']' {
                    self.pos += 1;
                    return Some(Value::Arr(items));
                }
                loop {
                    items.push(self.parse_value(depth + 1)?);
                    self.skip_ws();
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b']' => {
                            self.pos += 1;
                            return Some(Value::Arr(items));
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => self.parse_string().map(Value::Str),
            b'n' => self.keyword(b"null", Value::Null),
            b't' => self.keyword(b"true", Value::Bool(true)),
            b'f' => self.keyword(b"false", Value::Bool(false)),
            b'-' | b'0'..=b'9' => self.parse_number().map(Value::Num),
            _ => None,
        }
    }

    fn keyword(&mut self, word: &[u8], v: Value) -> Option<Value> {
        if self.raw[self.pos..].starts_with(word) {
            self.pos += word.len();
            Some(v)
        } else {
            None
        }
    }

    fn parse_number(&mut self) -> Option<String> {
        let start = self.pos;
        let raw = self.raw;
        let digit = |i: usize| raw.get(i).is_some_and(u8::is_ascii_digit);
        let first_digit = if raw[start] == b'-' { start + 1 } else { start };
        if raw.get(first_digit) == Some(&b'0') && digit(first_digit + 1) {
            return None;
        }
        self.pos += 1;
        // Core lets a lone `-` at the very end of the text through as the number `-`.
        if raw[start] == b'-' && self.pos < raw.len() && !digit(self.pos) {
            return None;
        }
        while digit(self.pos) {
            self.pos += 1;
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digit(self.pos) {
                return None;
            }
            while digit(self.pos) {
                self.pos += 1;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'-' | b'+')) {
                self.pos += 1;
            }
            if !digit(self.pos) {
                return None;
            }
            while digit(self.pos) {
                self.pos += 1;
            }
        }
        // Only ASCII was consumed.
        Some(String::from_utf8_lossy(&raw[start..self.pos]).into_owned())
    }

    /// A string, validated and re-encoded as Core's `JSONUTF8StringFilter` does.
    fn parse_string(&mut self) -> Option<String> {
        self.pos += 1; // the opening quote
        let mut f = Utf8Filter::default();
        loop {
            let b = self.peek()?;
            if b < 0x20 {
                return None;
            }
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let e = self.peek()?;
                    match e {
                        b'"' => f.push_byte(b'"'),
                        b'\\' => f.push_byte(b'\\'),
                        b'/' => f.push_byte(b'/'),
                        b'b' => f.push_byte(8),
                        b'f' => f.push_byte(12),
                        b'n' => f.push_byte(b'\n'),
                        b'r' => f.push_byte(b'\r'),
                        b't' => f.push_byte(b'\t'),
                        b'u' => {
                            // Core needs the four digits and one more byte after them.
                            if self.pos + 1 + 4 >= self.raw.len() {
                                return None;
                            }
                            let hex = &self.raw[self.pos + 1..self.pos + 5];
                            let mut cp = 0u32;
                            for &h in hex {
                                cp = cp * 16 + char::from(h).to_digit(16)?;
                            }
                            f.push_codepoint(cp);
                            self.pos += 4;
                        }
                        _ => return None,
                    }
                    self.pos += 1;
                }
                other => f.push_byte(other),
            }
        }
        f.finish()
    }
}

/// Core's `JSONUTF8StringFilter`: validates UTF-8 and joins `\u` surrogate pairs.
#[derive(Default)]
struct Utf8Filter {
    out: String,
    invalid: bool,
    codepoint: u32,
    state: u32,
    surpair: u32,
}

impl Utf8Filter {
    fn push_byte(&mut self, ch: u8) {
        if self.state == 0 {
            if ch < 0x80 {
                self.out.push(char::from(ch));
            } else if ch < 0xc0 {
                self.invalid = true;
            } else if ch < 0xe0 {
                self.codepoint = u32::from(ch & 0x1f) << 6;
                self.state = 6;
            } else if ch < 0xf0 {
                self.codepoint = u32::from(ch & 0x0f) << 12;
                self.state = 12;
            } else if ch < 0xf8 {
                self.codepoint = u32::from(ch & 0x07) << 18;
                self.state = 18;
            } else {
                self.invalid = true;
            }
        } else {
            if ch & 0xc0 != 0x80 {
                self.invalid = true;
            }
            self.state -= 6;
            self.codepoint |= u32::from(ch & 0x3f) << self.state;
            if self.state == 0 {
                let cp = self.codepoint;
                self.push_codepoint(cp);
            }
        }
    }

    fn push_codepoint(&mut self, cp: u32) {
        if self.state != 0 {
            self.invalid = true;
        }
        if (0xD800..0xDC00).contains(&cp) {
            if self.surpair != 0 {
                self.invalid = true;
            } else {
                self.surpair = cp;
            }
        } else if (0xDC00..0xE000).contains(&cp) {
            if self.surpair != 0 {
                let full = 0x10000 | ((self.surpair - 0xD800) << 10) | (cp - 0xDC00);
                self.append(full);
                self.surpair = 0;
            } else {
                self.invalid = true;
            }
        } else if self.surpair != 0 {
            self.invalid = true;
        } else {
            self.append(cp);
        }
    }

    fn append(&mut self, cp: u32) {
        // Core would write code points above U+10FFFF as (invalid) UTF-8 bytes; a
        // Rust string cannot hold them, so such a string fails to parse here.
        match char::from_u32(cp) {
            Some(c) => self.out.push(c),
            None => self.invalid = true,
        }
    }

    fn finish(self) -> Option<String> {
        (self.state == 0 && self.surpair == 0 && !self.invalid).then_some(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<Value> {
        Value::parse(s.as_bytes())
    }

    #[test]
    fn pretty_layout_is_cores() {
        let v = p(r#"[[],{},[[],{}],{"a":{}},1.50,1e5,"x\u007fy\u0001é",null,true]"#).unwrap();
        assert_eq!(
            v.write_pretty(2),
            "[\n  [\n  ],\n  {\n  },\n  [\n    [\n    ],\n    {\n    }\n  ],\n  {\n    \"a\": {\n    }\n  },\n  1.50,\n  1e5,\n  \"x\\u007fy\\u0001é\",\n  null,\n  true\n]"
        );
        assert_eq!(p("[]").unwrap().write_pretty(2), "[\n]");
        assert_eq!(p("{}").unwrap().write_pretty(2), "{\n}");
        assert_eq!(
            p(r#"{"a" : [1, "b/"] }"#).unwrap().write(),
            r#"{"a":[1,"b/"]}"#
        );
    }

    #[test]
    fn parse_accepts_and_rejects_as_core() {
        assert_eq!(p(" 12 "), Some(Value::Num("12".into())));
        assert_eq!(
            p("-"),
            Some(Value::Num("-".into())),
            "a quirk of Core's reader"
        );
        assert_eq!(p("-0.5e+3"), Some(Value::Num("-0.5e+3".into())));
        for bad in [
            "",
            "01",
            "-x",
            "[-]",
            "1.",
            "1e",
            "[1,]",
            "{\"a\":1,}",
            "nul",
            "nullx",
            "[1 2]",
            "\"a",
            "\"\\x\"",
            "\"\u{1}\"",
            "{1:2}",
            "[}",
            "\"\\ud800\"",
            "1 2",
            "+1",
            ".5",
        ] {
            assert_eq!(p(bad), None, "{bad:?}");
        }
        assert_eq!(p(r#""\ud834\udd1e""#), Some(Value::Str("\u{1d11e}".into())));
        assert_eq!(
            p(r#"{"a":1,"a":2}"#).unwrap().get("a"),
            &Value::Num("1".into())
        );
        let deep = "[".repeat(512) + &"]".repeat(512);
        assert!(p(&deep).is_some());
        let deeper = "[".repeat(513) + &"]".repeat(513);
        assert!(p(&deeper).is_none());
    }

    #[test]
    fn getters_have_cores_errors() {
        let v = p(r#"{"n":-3.5,"i":-300,"s":"x","b":true}"#).unwrap();
        assert_eq!(v.get("i").get_int::<i32>(), Ok(-300));
        assert_eq!(
            v.get("n").get_int::<i32>().unwrap_err().0,
            "JSON integer out of range"
        );
        assert_eq!(
            v.get("zz").get_int::<i32>().unwrap_err().0,
            "JSON value of type null is not of expected type number"
        );
        assert_eq!(v.get("b").val_str(), "1");
        assert_eq!(v.get("s").val_str(), "x");
        let mut o = Value::object();
        o.push_kv("a", Value::int(1));
        o.push_kv("a", Value::int(2));
        o.push_kv_end("a", Value::int(3));
        assert_eq!(o.write(), r#"{"a":2,"a":3}"#);
    }
}
