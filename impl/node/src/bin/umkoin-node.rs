//! `umkoin-node`: the multiprocess Umkoin node, a drop-in for `umkoind` that also takes
//! the IPC options.

fn main() {
    let code = umkoin_node::init::main(
        umkoin_node::init::Flavor::Node,
        std::env::args_os()
            .map(|a| a.to_string_lossy().into_owned())
            .collect(),
    );
    std::process::exit(code);
}
