//! `umkoin-mpgen`: the Cap'n Proto compiler plugin that turns the annotated IPC schemas
//! into Rust: for each interface the trait (the one definition of its methods), a proxy
//! that implements the trait with blocking calls over IPC, and a server that serves any
//! implementation of the trait; for each struct a plain Rust struct with its
//! conversions. Run as `capnp compile -o umkoin-mpgen:<dir> ...` (capnp runs a plugin in
//! the output directory and hands it the parsed schemas on stdin); `capnpc-rust` makes
//! the readers and builders this code uses, in the same run.

mod emit;
mod model;

use std::io::Write;

use anyhow::{Context, Result};

fn main() {
    if let Err(error) = run() {
        eprintln!("umkoin-mpgen: {error:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let mut options = capnp::message::ReaderOptions::new();
    options.traversal_limit_in_words(None);
    let stdin = std::io::stdin();
    let message = capnp::serialize::read_message(stdin.lock(), options)
        .context("reading the CodeGeneratorRequest from stdin")?;
    let request: capnp::schema_capnp::code_generator_request::Reader<'_> = message
        .get_root()
        .context("reading the CodeGeneratorRequest")?;
    let schema = model::Schema::load(request)?;
    for file in &schema.files {
        let Some(text) = emit::file(&schema, file)? else {
            continue;
        };
        let name = format!("{}_mp.rs", file.stem);
        let mut out = std::fs::File::create(&name).with_context(|| format!("creating {name}"))?;
        out.write_all(text.as_bytes())
            .with_context(|| format!("writing {name}"))?;
    }
    Ok(())
}
