//! Tells the functional tests which target they are built for, so that the IPC peer
//! test can ask `cargo metadata --filter-platform` about this platform's packages only
//! (unfiltered, cargo wants every platform's crates downloaded).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    println!("cargo:rustc-env=UMKOIN_FUNCTIONAL_TARGET={target}");
}
