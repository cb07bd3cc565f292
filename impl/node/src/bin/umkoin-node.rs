//! `umkoin-node`: the multiprocess Umkoin node, a drop-in for `umkoind` that also takes
//! the IPC options.

fn main() {
    let code = umkoin_node::init::main(umkoin_node::init::Flavor::Node, std::env::args().collect());
    std::process::exit(code);
}
