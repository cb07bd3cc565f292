//! `umkoind`: the monolithic Umkoin node.

fn main() {
    let code = umkoin_node::init::main(
        umkoin_node::init::Flavor::Daemon,
        std::env::args_os()
            .map(|a| a.to_string_lossy().into_owned())
            .collect(),
    );
    std::process::exit(code);
}
