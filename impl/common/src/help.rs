//! `-help` and `-help-debug` output, laid out as Umkoin Core lays it out: options grouped
//! by category in Core's order, sorted by name, help text wrapped at 79 columns.

use crate::options::{Bins, Category, OPTIONS, flags};

const SCREEN_WIDTH: usize = 79;
const OPT_INDENT: usize = 2;
const MSG_INDENT: usize = 7;

/// Core's `FormatParagraph`: wrap `text` to `width`, indenting continuation lines.
pub fn format_paragraph(text: &str, width: usize, indent: usize) -> String {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut ptr = 0usize;
    let mut indented = 0usize;
    while ptr < bytes.len() {
        let lineend = text[ptr..].find('\n').map_or(bytes.len(), |p| ptr + p);
        let linelen = lineend - ptr;
        let rem_width = width - indented;
        if linelen <= rem_width {
            let end = (lineend + 1).min(bytes.len());
            out.push_str(&text[ptr..end]);
            ptr = lineend + 1;
            indented = 0;
        } else {
            let limit = (ptr + rem_width).min(bytes.len() - 1);
            let mut finalspace = text[..=limit].rfind([' ', '\n']).filter(|&p| p >= ptr);
            if finalspace.is_none() {
                finalspace = text[ptr..].find(['\n', ' ']).map(|p| ptr + p);
                if finalspace.is_none() {
                    out.push_str(&text[ptr..]);
                    break;
                }
            }
            let fs = finalspace.expect("set on every path above");
            out.push_str(&text[ptr..fs]);
            out.push('\n');
            if bytes[fs] == b'\n' {
                indented = 0;
            } else if indent > 0 {
                out.push_str(&" ".repeat(indent));
                indented = indent;
            }
            ptr = fs + 1;
        }
    }
    out
}

/// One option's entry, as Core's `HelpMessageOpt`.
fn help_opt(option: &str, message: &str) -> String {
    format!(
        "{}{}\n{}{}\n\n",
        " ".repeat(OPT_INDENT),
        option,
        " ".repeat(MSG_INDENT),
        format_paragraph(message, SCREEN_WIDTH - MSG_INDENT, MSG_INDENT)
    )
}

/// The option list of `bin`'s `-help` (`-help-debug` when `show_debug`).
pub fn help_message(bin: Bins, show_debug: bool) -> String {
    let mut opts: Vec<_> = OPTIONS
        .iter()
        .filter(|o| o.bins.contains(bin) && o.category != Category::Hidden)
        .collect();
    opts.sort_by(|a, b| a.category.cmp(&b.category).then(a.name.cmp(b.name)));
    let mut usage = String::new();
    let mut current: Option<Category> = None;
    for o in opts {
        if current != Some(o.category) {
            current = Some(o.category);
            if o.category != Category::WalletDebugTest || show_debug {
                usage.push_str(o.category.heading());
                usage.push_str("\n\n");
            }
        }
        if show_debug || o.flags & flags::DEBUG_ONLY == 0 {
            // Commands (the wallet tool's) are words, not options: no dash.
            let dash = if o.flags & flags::COMMAND != 0 {
                ""
            } else {
                "-"
            };
            usage.push_str(&help_opt(&format!("{dash}{}{}", o.name, o.arg), o.help));
        }
    }
    usage
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_like_core() {
        let text = "Specify path to read-only configuration file. Relative paths will be prefixed by datadir location";
        let wrapped = format_paragraph(text, SCREEN_WIDTH - MSG_INDENT, MSG_INDENT);
        assert_eq!(
            wrapped,
            "Specify path to read-only configuration file. Relative paths will be\n       prefixed by datadir location"
        );
        assert_eq!(format_paragraph("short", 72, 7), "short");
        assert_eq!(format_paragraph("a\nb", 72, 7), "a\nb");
    }
}
