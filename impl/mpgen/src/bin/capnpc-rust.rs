//! `capnpc-rust`: the Cap'n Proto compiler plugin that writes the base Rust code (readers,
//! builders, clients and servers of capnp-rpc) for the schemas in `interfaces/schema`.
//! Built from the workspace's locked `capnpc`, so `cargo xtask codegen` output depends
//! on Cargo.lock, not on whatever a machine has installed.

fn main() {
    let result = capnpc::codegen::CodeGenerationCommand::new()
        .output_directory(std::path::Path::new("."))
        .run(std::io::stdin());
    if let Err(e) = result {
        eprintln!("capnpc-rust: {e}");
        std::process::exit(1);
    }
}
