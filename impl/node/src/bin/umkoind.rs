//! `umkoind`: the monolithic Umkoin node.

fn main() {
    let code = umkoin_node::init::main(
        umkoin_node::init::Flavor::Daemon,
        std::env::args().collect(),
    );
    std::process::exit(code);
}
