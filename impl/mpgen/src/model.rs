//! The schemas of one `capnp compile` run, read out of the CodeGeneratorRequest into
//! the few shapes the generator needs: files, structs, interfaces, methods, fields and
//! their types, doc comments, and our `rust.capnp` annotations.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use capnp::schema_capnp::{code_generator_request, field, node, type_, value};

/// `rust.capnp`: served by the runtime, no code generated.
const ANNOTATION_RUNTIME: u64 = 0xa427_b436_b5f9_0b13;
/// `rust.capnp`: `Init.construct`, served by the runtime.
const ANNOTATION_CONSTRUCT: u64 = 0x8c37_7049_faf7_e3f8;
/// `rust.capnp`: a pointer result that may be null.
const ANNOTATION_NULLABLE: u64 = 0xf375_edd0_f510_3e8c;
/// libmultiprocess's `proxy.capnp` `Context`: the thread a call runs on.
pub const CONTEXT_STRUCT: u64 = 0x9c44_e664_5d0b_22c6;

/// A field's (or a method parameter's) type.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Void,
    Bool,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Float32,
    Float64,
    Text,
    Data,
    List(Box<Ty>),
    Struct(u64),
    Interface(u64),
    /// A type the generator does not map (enums, AnyPointer, generics); it is an error
    /// only when a generated item needs it.
    Unsupported(String),
}

/// A field's default, where the schema gives one.
#[derive(Debug, Clone, PartialEq)]
pub enum Default {
    Bool(bool),
    Int(i128),
    Float(f64),
}

/// A struct field or a method parameter / result.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    pub default: Option<Default>,
    pub nullable: bool,
    pub doc: String,
}

/// A struct.
#[derive(Debug, Clone)]
pub struct Struct {
    pub id: u64,
    pub name: String,
    pub doc: String,
    pub fields: Vec<Field>,
}

/// A method.
#[derive(Debug, Clone)]
pub struct Method {
    pub name: String,
    pub ordinal: u16,
    pub doc: String,
    pub params: Vec<Field>,
    pub results: Vec<Field>,
    pub construct: bool,
}

/// An interface.
#[derive(Debug, Clone)]
pub struct Interface {
    pub id: u64,
    pub name: String,
    pub doc: String,
    pub methods: Vec<Method>,
    pub supers: Vec<u64>,
}

/// One schema file asked for in this run.
#[derive(Debug, Clone)]
pub struct File {
    pub stem: String,
    pub name: String,
    pub structs: Vec<Struct>,
    pub interfaces: Vec<Interface>,
}

/// What the generator knows about any node it may have to name.
#[derive(Debug, Clone)]
pub struct NodeInfo {
    pub name: String,
    pub stem: String,
    pub interface: Option<Interface>,
}

/// The schemas of one run.
pub struct Schema {
    pub files: Vec<File>,
    pub nodes: HashMap<u64, NodeInfo>,
}

impl Schema {
    /// Reads every requested file and every node they can name.
    pub fn load(request: code_generator_request::Reader<'_>) -> Result<Self> {
        let mut readers: HashMap<u64, node::Reader<'_>> = HashMap::new();
        for node in request.get_nodes()? {
            readers.insert(node.get_id(), node);
        }
        let mut docs: HashMap<u64, (String, Vec<String>)> = HashMap::new();
        if request.has_source_info() {
            for info in request.get_source_info()? {
                let doc = info.get_doc_comment()?.to_string()?;
                let mut members = Vec::new();
                for member in info.get_members()? {
                    members.push(member.get_doc_comment()?.to_string()?);
                }
                docs.insert(info.get_id(), (doc, members));
            }
        }
        let loader = Loader {
            readers: &readers,
            docs: &docs,
        };
        // Every node's file: walk each file's nested nodes.
        let mut nodes = HashMap::new();
        let mut files = Vec::new();
        for reader in readers.values() {
            if !reader.which().is_ok_and(|w| matches!(w, node::File(()))) {
                continue;
            }
            let file_name = reader.get_display_name()?.to_string()?;
            let stem = stem_of(&file_name);
            for nested in reader.get_nested_nodes()? {
                let id = nested.get_id();
                let Some(n) = readers.get(&id) else { continue };
                let name = nested.get_name()?.to_string()?;
                let interface = match n.which()? {
                    node::Interface(_) => Some(loader.interface(*n, &name)?),
                    _ => None,
                };
                nodes.insert(
                    id,
                    NodeInfo {
                        name,
                        stem: stem.clone(),
                        interface,
                    },
                );
            }
        }
        for requested in request.get_requested_files()? {
            let reader = readers
                .get(&requested.get_id())
                .context("a requested file is not among the nodes")?;
            let name = requested.get_filename()?.to_string()?;
            let stem = stem_of(&name);
            let mut structs = Vec::new();
            let mut interfaces = Vec::new();
            for nested in reader.get_nested_nodes()? {
                let id = nested.get_id();
                let Some(n) = readers.get(&id) else { continue };
                if has_annotation(n.get_annotations()?, ANNOTATION_RUNTIME) {
                    continue;
                }
                let short = nested.get_name()?.to_string()?;
                match n.which()? {
                    node::Struct(_) => structs.push(loader.structure(*n, &short)?),
                    node::Interface(_) => interfaces.push(loader.interface(*n, &short)?),
                    _ => {}
                }
            }
            files.push(File {
                stem,
                name,
                structs,
                interfaces,
            });
        }
        files.sort_by(|a, b| a.stem.cmp(&b.stem));
        Ok(Schema { files, nodes })
    }

    /// The node `id`, which the generated code names.
    pub fn node(&self, id: u64) -> Result<&NodeInfo> {
        self.nodes
            .get(&id)
            .with_context(|| format!("type @{id:#x} is not a top-level declaration of a file"))
    }
}

struct Loader<'a, 'r> {
    readers: &'a HashMap<u64, node::Reader<'r>>,
    docs: &'a HashMap<u64, (String, Vec<String>)>,
}

impl Loader<'_, '_> {
    fn doc(&self, id: u64) -> String {
        self.docs.get(&id).map(|d| d.0.clone()).unwrap_or_default()
    }

    fn member_doc(&self, id: u64, index: usize) -> String {
        self.docs
            .get(&id)
            .and_then(|d| d.1.get(index).cloned())
            .unwrap_or_default()
    }

    fn structure(&self, n: node::Reader<'_>, name: &str) -> Result<Struct> {
        let id = n.get_id();
        Ok(Struct {
            id,
            name: name.to_owned(),
            doc: self.doc(id),
            fields: self.fields(id)?,
        })
    }

    fn fields(&self, struct_id: u64) -> Result<Vec<Field>> {
        let n = self
            .readers
            .get(&struct_id)
            .with_context(|| format!("struct @{struct_id:#x} is missing"))?;
        let node::Struct(s) = n.which()? else {
            bail!("@{struct_id:#x} is not a struct");
        };
        if s.get_discriminant_count() != 0 {
            bail!(
                "{}: unions are not supported",
                n.get_display_name()?.to_string()?
            );
        }
        let mut fields = Vec::new();
        for (index, f) in s.get_fields()?.iter().enumerate() {
            let name = f.get_name()?.to_string()?;
            let nullable = has_annotation(f.get_annotations()?, ANNOTATION_NULLABLE);
            let (ty, default) = match f.which()? {
                field::Slot(slot) => (ty(slot.get_type()?)?, default(slot.get_default_value()?)?),
                field::Group(_) => bail!("{name}: groups are not supported"),
            };
            fields.push(Field {
                name,
                ty,
                default,
                nullable,
                doc: self.member_doc(struct_id, index),
            });
        }
        Ok(fields)
    }

    fn interface(&self, n: node::Reader<'_>, name: &str) -> Result<Interface> {
        let id = n.get_id();
        let node::Interface(i) = n.which()? else {
            bail!("{name} is not an interface");
        };
        let mut methods = Vec::new();
        for (index, m) in i.get_methods()?.iter().enumerate() {
            methods.push(Method {
                name: m.get_name()?.to_string()?,
                ordinal: m.get_code_order(),
                doc: self.member_doc(id, index),
                params: self.fields(m.get_param_struct_type())?,
                results: self.fields(m.get_result_struct_type())?,
                construct: has_annotation(m.get_annotations()?, ANNOTATION_CONSTRUCT),
            });
        }
        let mut supers = Vec::new();
        for s in i.get_superclasses()? {
            supers.push(s.get_id());
        }
        Ok(Interface {
            id,
            name: name.to_owned(),
            doc: self.doc(id),
            methods,
            supers,
        })
    }
}

fn stem_of(file_name: &str) -> String {
    let base = file_name.rsplit('/').next().unwrap_or(file_name);
    base.strip_suffix(".capnp")
        .unwrap_or(base)
        .replace(['-', '.'], "_")
}

fn has_annotation(
    annotations: capnp::struct_list::Reader<'_, capnp::schema_capnp::annotation::Owned>,
    id: u64,
) -> bool {
    annotations.iter().any(|a| a.get_id() == id)
}

fn ty(t: type_::Reader<'_>) -> Result<Ty> {
    Ok(match t.which()? {
        type_::Void(()) => Ty::Void,
        type_::Bool(()) => Ty::Bool,
        type_::Int8(()) => Ty::Int8,
        type_::Int16(()) => Ty::Int16,
        type_::Int32(()) => Ty::Int32,
        type_::Int64(()) => Ty::Int64,
        type_::Uint8(()) => Ty::UInt8,
        type_::Uint16(()) => Ty::UInt16,
        type_::Uint32(()) => Ty::UInt32,
        type_::Uint64(()) => Ty::UInt64,
        type_::Float32(()) => Ty::Float32,
        type_::Float64(()) => Ty::Float64,
        type_::Text(()) => Ty::Text,
        type_::Data(()) => Ty::Data,
        type_::List(l) => Ty::List(Box::new(ty(l.get_element_type()?)?)),
        type_::Struct(s) => Ty::Struct(s.get_type_id()),
        type_::Interface(i) => Ty::Interface(i.get_type_id()),
        type_::Enum(_) => Ty::Unsupported("enums".to_owned()),
        type_::AnyPointer(_) => Ty::Unsupported("AnyPointer".to_owned()),
    })
}

fn default(v: value::Reader<'_>) -> Result<Option<Default>> {
    Ok(match v.which()? {
        value::Bool(b) => b.then_some(Default::Bool(true)),
        value::Int8(x) => (x != 0).then_some(Default::Int(x.into())),
        value::Int16(x) => (x != 0).then_some(Default::Int(x.into())),
        value::Int32(x) => (x != 0).then_some(Default::Int(x.into())),
        value::Int64(x) => (x != 0).then_some(Default::Int(x.into())),
        value::Uint8(x) => (x != 0).then_some(Default::Int(x.into())),
        value::Uint16(x) => (x != 0).then_some(Default::Int(x.into())),
        value::Uint32(x) => (x != 0).then_some(Default::Int(x.into())),
        value::Uint64(x) => (x != 0).then_some(Default::Int(x.into())),
        value::Float32(x) => (x != 0.0).then_some(Default::Float(x.into())),
        value::Float64(x) => (x != 0.0).then_some(Default::Float(x)),
        _ => None,
    })
}
