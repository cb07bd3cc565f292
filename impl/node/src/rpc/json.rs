//! JSON as Umkoin Core's UniValue writes it: numbers kept as their text (amounts with
//! eight decimals, floating point with 16 significant digits), type names for errors,
//! and the indented form used inside error messages.

use serde::Serialize;
use serde_json::{Number, Value};

/// A value read by Core's parser (`univalue`), as the `serde_json` value commands take.
/// An object keeps the first of duplicate keys, which is what Core's `find_value` sees.
pub fn from_univalue(v: &umkoin_common::univalue::Value) -> Value {
    use umkoin_common::univalue::Value as U;
    match v {
        U::Null => Value::Null,
        U::Bool(b) => Value::Bool(*b),
        U::Num(text) => text.parse::<Number>().map_or(Value::Null, Value::Number),
        U::Str(s) => Value::String(s.clone()),
        U::Arr(items) => Value::Array(items.iter().map(from_univalue).collect()),
        U::Obj(pairs) => {
            let mut map = serde_json::Map::new();
            for (k, v) in pairs {
                if !map.contains_key(k) {
                    map.insert(k.clone(), from_univalue(v));
                }
            }
            Value::Object(map)
        }
    }
}

/// The first key that `v`'s member `member` (an object) holds twice, if any.
pub fn duplicate_key_in(v: &umkoin_common::univalue::Value, member: &str) -> Option<String> {
    use umkoin_common::univalue::Value as U;
    let U::Obj(pairs) = v else { return None };
    let (_, inner) = pairs.iter().find(|(k, _)| k == member)?;
    let U::Obj(inner) = inner else { return None };
    let mut seen = std::collections::HashSet::new();
    inner
        .iter()
        .find(|(k, _)| !seen.insert(k.as_str()))
        .map(|(k, _)| k.clone())
}

/// UniValue's name for the type of `v`, as type errors print it.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `v` written with `indent` spaces per level.
pub fn write_indented(v: &Value, indent: usize) -> String {
    let pad = vec![b' '; indent];
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(&pad);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    v.serialize(&mut ser)
        .expect("writing a JSON value to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

fn number_from_text(text: &str) -> Value {
    Value::Number(
        text.parse::<Number>()
            .expect("the texts built here are valid JSON numbers"),
    )
}

/// An amount in satoshis as Core's `ValueFromAmount`: `-0.00001000`, eight decimals.
pub fn amount(sats: i64) -> Value {
    let sign = if sats < 0 { "-" } else { "" };
    let abs = sats.unsigned_abs();
    number_from_text(&format!(
        "{sign}{}.{:08}",
        abs / 100_000_000,
        abs % 100_000_000
    ))
}

/// A float as UniValue writes it (`std::setprecision(16)`, that is `%.16g`).
pub fn float(x: f64) -> Value {
    number_from_text(&format_g16(x))
}

/// C's `%.16g`.
pub fn format_g16(x: f64) -> String {
    if x == 0.0 {
        return "0".to_owned();
    }
    if !x.is_finite() {
        // UniValue cannot hold these; Core never produces them in results.
        return "null".to_owned();
    }
    const P: i32 = 16;
    let sci = format!("{:.*e}", (P - 1) as usize, x);
    let (mantissa, exp) = sci
        .split_once('e')
        .expect("Rust's exponent format always has an 'e'");
    let exp: i32 = exp.parse().expect("Rust writes the exponent as an integer");
    if !(-4..P).contains(&exp) {
        let m = strip_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (P - 1 - exp).max(0) as usize;
        strip_zeros(&format!("{x:.decimals$}"))
    }
}

fn strip_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_key_wins_and_duplicates_are_found() {
        let u = umkoin_common::univalue::Value::parse(
            br#"{"method":"a","method":"b","params":{"x":1,"y":2,"x":3}}"#,
        )
        .unwrap();
        let v = from_univalue(&u);
        assert_eq!(v["method"], "a");
        assert_eq!(v["params"]["x"], 1);
        assert_eq!(duplicate_key_in(&u, "params").as_deref(), Some("x"));
        let deep = format!("{}{}", "[".repeat(513), "]".repeat(513));
        assert!(umkoin_common::univalue::Value::parse(deep.as_bytes()).is_none());
        let ok = format!("{}{}", "[".repeat(512), "]".repeat(512));
        assert!(umkoin_common::univalue::Value::parse(ok.as_bytes()).is_some());
    }

    #[test]
    fn amounts_have_eight_decimals() {
        assert_eq!(amount(0).to_string(), "0.00000000");
        assert_eq!(amount(100).to_string(), "0.00000100");
        assert_eq!(amount(-5_000_000_000).to_string(), "-50.00000000");
    }

    #[test]
    fn floats_match_univalue() {
        assert_eq!(format_g16(4.656542373906925e-10), "4.656542373906925e-10");
        assert_eq!(format_g16(3.522156904644262e-06), "3.522156904644262e-06");
        assert_eq!(format_g16(1.0), "1");
        assert_eq!(format_g16(0.5), "0.5");
        assert_eq!(format_g16(1e20), "1e+20");
        assert_eq!(format_g16(123456.789), "123456.789");
        assert_eq!(format_g16(0.1 + 0.2), "0.3");
    }

    #[test]
    fn indented_like_univalue() {
        let v = serde_json::json!({"a": "b"});
        assert_eq!(write_indented(&v, 4), "{\n    \"a\": \"b\"\n}");
    }
}
