//! Builds `shim.cpp` against the Core sources the `bitcoinconsensus` crate vendors (the
//! same sources its static library is built from), found with `cargo metadata`.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=shim.cpp");
    let cargo = std::env::var("CARGO").expect("cargo sets CARGO for build scripts");
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    // Only the packages this build has already fetched: those of the target platform.
    let target = std::env::var("TARGET").expect("cargo sets TARGET for build scripts");
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", &target])
        .current_dir(&manifest_dir)
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
    let manifest = meta["packages"]
        .as_array()
        .and_then(|packages| {
            packages
                .iter()
                .find(|p| p["name"] == "bitcoinconsensus")
                .and_then(|p| p["manifest_path"].as_str())
        })
        .expect("bitcoinconsensus is a dependency");
    let src = PathBuf::from(manifest)
        .parent()
        .expect("a manifest is in a folder")
        .join("depend/bitcoin/src");
    cc::Build::new()
        .cpp(true)
        .std("c++17")
        .include(&src)
        .include(src.join("secp256k1/include"))
        .flag_if_supported("-Wno-unused-parameter")
        .file("shim.cpp")
        .compile("umkoin_consensus_shim");
}
