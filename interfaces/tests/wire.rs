//! Proves the Cap'n Proto schemas in `schema/` are wire-compatible with Umkoin Core's and
//! Bitcoin Core's: compiles them with the `capnp` compiler, walks the compiled schema and
//! compares every file, struct and interface id, method ordinal, field ordinal, type and
//! default with the tables of `shared/reference/ipc-wire.md`; and checks that our own
//! bootstrap interface `UmkoinInit` extends Core's `Init` without reusing any Core id.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use capnp::schema_capnp::{code_generator_request, field, node, type_, value};

/// The reference tables, overridable with `UMKOIN_IPC_WIRE`.
const DEFAULT_REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/reference/ipc-wire.md"
);

/// The method cell that marks a method whose name is ours to choose.
const NAME_OURS: &str = "name ours to choose";

/// What the reference tables say, as comparable facts.
struct Reference {
    /// One line per file id, struct, field, interface, method, parameter and result.
    facts: BTreeSet<String>,
    /// Stems of the files the reference describes (`proxy`, `mining`, ...).
    files: BTreeSet<String>,
    /// Every file, struct and interface id in the reference.
    ids: BTreeSet<u64>,
    /// `(interface, ordinal)` of the methods whose name is not compared, e.g.
    /// `("mining.BlockTemplate", 7)`.
    free_names: BTreeSet<(String, u32)>,
    /// Interface ids by qualified name (`init.Init`).
    interfaces: BTreeMap<String, u64>,
}

fn hex(id: u64) -> String {
    format!("0x{id:016x}")
}

fn parse_hex(text: &str) -> u64 {
    let text = text.trim().trim_matches('`');
    let digits = text
        .strip_prefix("0x")
        .unwrap_or_else(|| panic!("not a hex id: {text:?}"));
    u64::from_str_radix(digits, 16).unwrap_or_else(|e| panic!("not a hex id: {text:?}: {e}"))
}

/// A default as written in the reference, in the form `render_value` gives the compiled
/// one: `true`, integers in decimal, floats as Rust's `{:e}` (so `1.7976931348623157e+308`
/// and `1.7976931348623157e308` compare equal).
fn canonical_default(ty: &str, raw: &str) -> String {
    match ty {
        "Bool" => raw.to_ascii_lowercase(),
        "Float32" | "Float64" => match raw.parse::<f64>() {
            Ok(v) => format!("{v:e}"),
            Err(_) => format!("unparsable {raw}"),
        },
        "Int8" | "Int16" | "Int32" | "Int64" | "UInt8" | "UInt16" | "UInt32" | "UInt64" => {
            match raw.parse::<i128>() {
                Ok(v) => v.to_string(),
                Err(_) => format!("unparsable {raw}"),
            }
        }
        _ => raw.to_owned(),
    }
}

/// One `@N name :Type[ = default]` of the reference, with the default made canonical.
fn parse_field(spec: &str) -> String {
    let words: Vec<&str> = spec.split_whitespace().collect();
    let bad = || -> ! { panic!("ipc-wire.md: cannot read field {spec:?}") };
    let (ordinal, name, ty) = match words.as_slice() {
        [o, n, t, ..] => (o.strip_prefix('@'), *n, t.strip_prefix(':')),
        _ => bad(),
    };
    let (Some(ordinal), Some(ty)) = (ordinal, ty) else {
        bad()
    };
    let ordinal: u32 = ordinal.parse().unwrap_or_else(|_| bad());
    match &words[3..] {
        [] => format!("@{ordinal} {name} :{ty}"),
        ["=", default] => format!(
            "@{ordinal} {name} :{ty} = {}",
            canonical_default(ty, default)
        ),
        _ => bad(),
    }
}

fn parse_fields(list: &str) -> Vec<String> {
    let list = list.trim();
    if list.is_empty() {
        return Vec::new();
    }
    list.split(", ").map(parse_field).collect()
}

/// Reads the `### file.capnp` sections of ipc-wire.md up to the next `## ` heading.
fn parse_reference(text: &str) -> Reference {
    let mut r = Reference {
        facts: BTreeSet::new(),
        files: BTreeSet::new(),
        ids: BTreeSet::new(),
        free_names: BTreeSet::new(),
        interfaces: BTreeMap::new(),
    };
    let mut file: Option<String> = None;
    let mut interface: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("### ") {
            // `### proxy.capnp (file id 0xcc316e3f71a040fb)`
            let (name, id) = rest
                .split_once(" (file id ")
                .unwrap_or_else(|| panic!("ipc-wire.md: cannot read file heading {line:?}"));
            let stem = name.trim().trim_end_matches(".capnp").to_owned();
            let id = parse_hex(id.trim_end_matches(')'));
            r.facts.insert(format!("file {stem} id {}", hex(id)));
            r.ids.insert(id);
            r.files.insert(stem.clone());
            file = Some(stem);
            interface = None;
            continue;
        }
        if line.starts_with("## ") && file.is_some() {
            break;
        }
        let Some(stem) = &file else { continue };
        if let Some(rest) = line.strip_prefix("**struct ") {
            // **struct Name** `0x...`: @0 a :T, @1 b :U = 1
            let (name, rest) = rest.split_once("** ").unwrap();
            let (id, fields) = rest.split_once(':').unwrap_or((rest, ""));
            let (qualified, id) = (format!("{stem}.{name}"), parse_hex(id));
            r.facts.insert(format!("{qualified} struct id {}", hex(id)));
            r.ids.insert(id);
            for f in parse_fields(fields) {
                r.facts.insert(format!("{qualified} field {f}"));
            }
            interface = None;
        } else if let Some(rest) = line.strip_prefix("**interface ") {
            let (name, id) = rest.split_once("** ").unwrap();
            let (qualified, id) = (format!("{stem}.{name}"), parse_hex(id));
            r.facts
                .insert(format!("{qualified} interface id {}", hex(id)));
            r.ids.insert(id);
            r.interfaces.insert(qualified.clone(), id);
            interface = Some(qualified);
        } else if line.starts_with('|') {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let [_, ordinal, method, params, results, _] = cells.as_slice() else {
                panic!("ipc-wire.md: cannot read table row {line:?}");
            };
            if *ordinal == "@" || ordinal.starts_with("---") {
                continue;
            }
            let iface = interface
                .as_ref()
                .unwrap_or_else(|| panic!("ipc-wire.md: table row outside an interface: {line:?}"));
            let ordinal: u32 = ordinal
                .parse()
                .unwrap_or_else(|_| panic!("ipc-wire.md: bad ordinal in {line:?}"));
            if method.contains(NAME_OURS) {
                r.free_names.insert((iface.clone(), ordinal));
                r.facts.insert(format!("{iface} method @{ordinal}"));
            } else {
                r.facts
                    .insert(format!("{iface} method @{ordinal} {method}"));
            }
            for p in parse_fields(params) {
                r.facts
                    .insert(format!("{iface} method @{ordinal} param {p}"));
            }
            for p in parse_fields(results) {
                r.facts
                    .insert(format!("{iface} method @{ordinal} result {p}"));
            }
        }
    }
    assert!(
        !r.files.is_empty() && r.facts.len() > r.files.len(),
        "ipc-wire.md has no `### file.capnp (file id 0x...)` tables"
    );
    r
}

fn reference_path() -> PathBuf {
    std::env::var_os("UMKOIN_IPC_WIRE")
        .map_or_else(|| PathBuf::from(DEFAULT_REFERENCE), PathBuf::from)
}

fn load_reference() -> Reference {
    let path = reference_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the IPC wire reference {}: {e} (set UMKOIN_IPC_WIRE to its path)",
            path.display()
        )
    });
    parse_reference(&text)
}

fn capnp_compiler() -> PathBuf {
    const MISSING: &str = "the capnp compiler is needed: run `cargo xtask test`, which \
                           installs it, or set CAPNP_EXECUTABLE";
    if let Some(exe) = std::env::var_os("CAPNP_EXECUTABLE") {
        let exe = PathBuf::from(exe);
        assert!(
            exe.is_file(),
            "{MISSING} (CAPNP_EXECUTABLE={} is no file)",
            exe.display()
        );
        return exe;
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("capnp"))
        .find(|exe| exe.is_file())
        .unwrap_or_else(|| panic!("{MISSING}"))
}

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schema")
}

/// `capnp compile -o-` of every schema file: the serialized `CodeGeneratorRequest`.
fn compile_schemas() -> Vec<u8> {
    let dir = schema_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "capnp"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .capnp files in {}", dir.display());
    let compiler = capnp_compiler();
    let output = Command::new(&compiler)
        // capnp warns when PWD is not the working directory.
        .current_dir(&dir)
        .env("PWD", &dir)
        .arg("compile")
        .arg("--no-standard-import")
        .arg("-o-")
        .arg(format!("--src-prefix={}", dir.display()))
        .arg(format!("-I{}", dir.display()))
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", compiler.display()));
    assert!(
        output.status.success(),
        "{} compile failed ({}):\n{}",
        compiler.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The compiled schema: nodes by id, and the requested files by stem.
struct Compiled<'a> {
    nodes: BTreeMap<u64, node::Reader<'a>>,
    files: BTreeMap<String, u64>,
}

fn text(t: capnp::Result<capnp::text::Reader<'_>>) -> String {
    t.unwrap().to_str().unwrap().to_owned()
}

impl<'a> Compiled<'a> {
    fn new(request: code_generator_request::Reader<'a>) -> Self {
        let mut nodes = BTreeMap::new();
        for n in request.get_nodes().unwrap() {
            nodes.insert(n.get_id(), n);
        }
        let mut files = BTreeMap::new();
        for f in request.get_requested_files().unwrap() {
            let name = text(f.get_filename());
            let stem = Path::new(&name)
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            files.insert(stem, f.get_id());
        }
        Compiled { nodes, files }
    }

    fn node(&self, id: u64) -> node::Reader<'a> {
        *self
            .nodes
            .get(&id)
            .unwrap_or_else(|| panic!("node {} missing from the compiled schema", hex(id)))
    }

    /// `stem.Name` of a declared node: its file's stem and its name within the file.
    fn qualified_name(&self, id: u64) -> String {
        let n = self.node(id);
        let mut file = n;
        while file.get_scope_id() != 0 {
            file = self.node(file.get_scope_id());
        }
        let file_name = text(file.get_display_name());
        let stem = Path::new(&file_name)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let display = text(n.get_display_name());
        let name = display
            .split_once(':')
            .map_or(display.as_str(), |(_, name)| name);
        format!("{stem}.{name}")
    }

    fn render_type(&self, t: type_::Reader<'_>) -> String {
        match t.which().unwrap() {
            type_::Void(()) => "Void".into(),
            type_::Bool(()) => "Bool".into(),
            type_::Int8(()) => "Int8".into(),
            type_::Int16(()) => "Int16".into(),
            type_::Int32(()) => "Int32".into(),
            type_::Int64(()) => "Int64".into(),
            type_::Uint8(()) => "UInt8".into(),
            type_::Uint16(()) => "UInt16".into(),
            type_::Uint32(()) => "UInt32".into(),
            type_::Uint64(()) => "UInt64".into(),
            type_::Float32(()) => "Float32".into(),
            type_::Float64(()) => "Float64".into(),
            type_::Text(()) => "Text".into(),
            type_::Data(()) => "Data".into(),
            type_::List(l) => format!("List({})", self.render_type(l.get_element_type().unwrap())),
            type_::Enum(e) => self.qualified_name(e.get_type_id()),
            type_::Struct(s) => self.qualified_name(s.get_type_id()),
            type_::Interface(i) => self.qualified_name(i.get_type_id()),
            type_::AnyPointer(_) => "AnyPointer".into(),
        }
    }

    /// The fields of a struct node as `@N name :Type[ = default]`.
    fn render_fields(&self, struct_id: u64) -> Vec<String> {
        let node::Struct(s) = self.node(struct_id).which().unwrap() else {
            panic!("{} is no struct", hex(struct_id));
        };
        let mut out = Vec::new();
        for f in s.get_fields().unwrap() {
            let name = text(f.get_name());
            let ordinal = match f.get_ordinal().which().unwrap() {
                field::ordinal::Explicit(n) => n.to_string(),
                field::ordinal::Implicit(()) => "?".into(),
            };
            match f.which().unwrap() {
                field::Slot(slot) => {
                    let ty = self.render_type(slot.get_type().unwrap());
                    match render_value(slot.get_default_value().unwrap()) {
                        Some(d) => out.push(format!("@{ordinal} {name} :{ty} = {d}")),
                        None => out.push(format!("@{ordinal} {name} :{ty}")),
                    }
                }
                field::Group(g) => {
                    out.push(format!("@{ordinal} {name} :group {}", hex(g.get_type_id())));
                }
            }
        }
        out
    }

    /// Facts about one declared node and the nodes nested in it, in the reference's form.
    fn render_node(
        &self,
        id: u64,
        free_names: &BTreeSet<(String, u32)>,
        facts: &mut BTreeSet<String>,
    ) {
        let n = self.node(id);
        let qualified = self.qualified_name(id);
        match n.which().unwrap() {
            node::Struct(_) => {
                facts.insert(format!("{qualified} struct id {}", hex(id)));
                for f in self.render_fields(id) {
                    facts.insert(format!("{qualified} field {f}"));
                }
            }
            node::Interface(i) => {
                facts.insert(format!("{qualified} interface id {}", hex(id)));
                for s in i.get_superclasses().unwrap() {
                    facts.insert(format!("{qualified} extends {}", hex(s.get_id())));
                }
                for (ordinal, m) in (0u32..).zip(i.get_methods().unwrap()) {
                    let method = format!("{qualified} method @{ordinal}");
                    if free_names.contains(&(qualified.clone(), ordinal)) {
                        facts.insert(method.clone());
                    } else {
                        facts.insert(format!("{method} {}", text(m.get_name())));
                    }
                    for p in self.render_fields(m.get_param_struct_type()) {
                        facts.insert(format!("{method} param {p}"));
                    }
                    for p in self.render_fields(m.get_result_struct_type()) {
                        facts.insert(format!("{method} result {p}"));
                    }
                }
            }
            node::Enum(e) => {
                facts.insert(format!("{qualified} enum id {}", hex(id)));
                for (ordinal, en) in (0u32..).zip(e.get_enumerants().unwrap()) {
                    facts.insert(format!(
                        "{qualified} enumerant @{ordinal} {}",
                        text(en.get_name())
                    ));
                }
            }
            // Constants and annotations are not on the wire.
            node::Const(_) | node::Annotation(_) | node::File(()) => {}
        }
        for nested in n.get_nested_nodes().unwrap() {
            self.render_node(nested.get_id(), free_names, facts);
        }
    }

    /// Facts about a whole file, as `parse_reference` makes them from its table.
    fn render_file(&self, stem: &str, free_names: &BTreeSet<(String, u32)>) -> BTreeSet<String> {
        let id = self.files[stem];
        let mut facts = BTreeSet::from([format!("file {stem} id {}", hex(id))]);
        self.render_node(id, free_names, &mut facts);
        facts
    }

    /// Ids of a node and every node nested in it.
    fn ids_under(&self, id: u64, out: &mut Vec<(u64, String)>) {
        let n = self.node(id);
        out.push((id, text(n.get_display_name())));
        for nested in n.get_nested_nodes().unwrap() {
            self.ids_under(nested.get_id(), out);
        }
    }
}

/// A default value in `canonical_default`'s form; `None` for the type's zero (null for
/// pointers), which the reference leaves out and which is what a field without a
/// default has.
fn render_value(v: value::Reader<'_>) -> Option<String> {
    let nonzero = |s: String, zero: bool| (!zero).then_some(s);
    match v.which().unwrap() {
        value::Void(()) => None,
        value::Bool(b) => b.then(|| "true".to_owned()),
        value::Int8(x) => nonzero(x.to_string(), x == 0),
        value::Int16(x) => nonzero(x.to_string(), x == 0),
        value::Int32(x) => nonzero(x.to_string(), x == 0),
        value::Int64(x) => nonzero(x.to_string(), x == 0),
        value::Uint8(x) => nonzero(x.to_string(), x == 0),
        value::Uint16(x) => nonzero(x.to_string(), x == 0),
        value::Uint32(x) => nonzero(x.to_string(), x == 0),
        value::Uint64(x) => nonzero(x.to_string(), x == 0),
        value::Float32(x) => nonzero(format!("{:e}", f64::from(x)), x.to_bits() == 0),
        value::Float64(x) => nonzero(format!("{x:e}"), x.to_bits() == 0),
        value::Enum(x) => nonzero(x.to_string(), x == 0),
        value::Text(t) => {
            let t = t
                .map(|t| t.to_str().unwrap_or("<not utf-8>").to_owned())
                .unwrap_or_default();
            nonzero(format!("{t:?}"), t.is_empty())
        }
        value::Data(d) => {
            let d = d.map(<[u8]>::to_vec).unwrap_or_default();
            nonzero(format!("{d:?}"), d.is_empty())
        }
        value::Interface(()) => None,
        value::List(p) | value::Struct(p) | value::AnyPointer(p) => {
            (!p.is_null()).then(|| "<pointer default>".to_owned())
        }
    }
}

fn with_compiled<T>(f: impl FnOnce(&Compiled<'_>) -> T) -> T {
    let bytes = compile_schemas();
    let message =
        capnp::serialize::read_message(&mut bytes.as_slice(), capnp::message::ReaderOptions::new())
            .unwrap();
    let request: code_generator_request::Reader<'_> = message.get_root().unwrap();
    f(&Compiled::new(request))
}

#[test]
fn core_schemas_match_the_ipc_wire_reference() {
    let reference = load_reference();
    let ours = with_compiled(|c| {
        let mut facts = BTreeSet::new();
        for stem in &reference.files {
            if c.files.contains_key(stem) {
                facts.extend(c.render_file(stem, &reference.free_names));
            }
        }
        facts
    });
    let missing: Vec<&String> = reference.facts.difference(&ours).collect();
    let extra: Vec<&String> = ours.difference(&reference.facts).collect();
    if !missing.is_empty() || !extra.is_empty() {
        let mut report = format!(
            "schema/ differs from {} ({} facts there, {} here)\n",
            reference_path().display(),
            reference.facts.len(),
            ours.len()
        );
        for m in &missing {
            writeln!(report, "- {m}    (in the reference, not in schema/)").unwrap();
        }
        for e in &extra {
            writeln!(report, "+ {e}    (in schema/, not in the reference)").unwrap();
        }
        panic!("{report}");
    }
}

#[test]
fn umkoin_init_extends_core_init_with_fresh_ids() {
    let reference = load_reference();
    let init = reference.interfaces["init.Init"];
    with_compiled(|c| {
        let umkoin = *c
            .files
            .get("umkoin")
            .expect("schema/umkoin.capnp is missing");
        let mut ids = Vec::new();
        for (stem, &file) in &c.files {
            if !reference.files.contains(stem) {
                c.ids_under(file, &mut ids);
            }
        }
        for (id, name) in &ids {
            assert!(
                !reference.ids.contains(id),
                "{name} reuses the Core id {}: our own schemas need fresh ids (`capnp id`)",
                hex(*id)
            );
        }
        let umkoin_init = c
            .node(umkoin)
            .get_nested_nodes()
            .unwrap()
            .iter()
            .find(|n| n.get_name().unwrap() == "UmkoinInit")
            .expect("umkoin.capnp declares no UmkoinInit")
            .get_id();
        let node::Interface(i) = c.node(umkoin_init).which().unwrap() else {
            panic!("UmkoinInit is no interface");
        };
        let supers: Vec<u64> = i
            .get_superclasses()
            .unwrap()
            .iter()
            .map(|s| s.get_id())
            .collect();
        assert!(
            supers.contains(&init),
            "UmkoinInit must extend init.Init ({}), extends {:?}",
            hex(init),
            supers.iter().map(|s| hex(*s)).collect::<Vec<_>>()
        );
    });
}

#[test]
fn reference_parser_reads_every_kind_of_line() {
    let r = parse_reference(
        "intro\n### a.capnp (file id 0x8000000000000001)\n\
         **struct S** `0x8000000000000002`: @0 x :Float64 = 1.5e+3, @1 y :Bool = True\n\
         **interface I** `0x8000000000000003`\n\n| @ | method | params | results |\n\
         | --- | --- | --- | --- |\n| 0 | go | @0 s :a.S | @0 r :List(Data) |\n\
         | 1 | old (name ours to choose) |  |  |\n## Semantics\n| 2 | ignored | | |\n",
    );
    let expected: BTreeSet<String> = [
        "file a id 0x8000000000000001",
        "a.S struct id 0x8000000000000002",
        "a.S field @0 x :Float64 = 1.5e3",
        "a.S field @1 y :Bool = true",
        "a.I interface id 0x8000000000000003",
        "a.I method @0 go",
        "a.I method @0 param @0 s :a.S",
        "a.I method @0 result @0 r :List(Data)",
        "a.I method @1",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(r.facts, expected);
    assert!(r.free_names.contains(&("a.I".to_owned(), 1)));
}
