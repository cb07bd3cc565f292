//! `cargo xtask`: the project's build and test commands, as one Rust program so they
//! run the same on a laptop and in CI. One module per command.

mod bench;
mod build;
mod codegen;
mod node;
mod provision;
mod test;
mod util;

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command> [args]

commands:
  build                 build every binary (debug)
  codegen [--check]     regenerate interfaces/src/generated from interfaces/schema, or
                        fail when the committed code is stale (--check)
  node [ARGS...]        build, then run `umkoin -m node ARGS` (e.g. -regtest -printtoconsole)
  test                  fmt check, clippy -D warnings, unit tests, then the functional
                        suite against umkoind, `umkoin -m` and Umkoin Core's reference
                        binaries (UMKOIN_CORE_BIN, default ../shared/reference/core-v31/bin)
  test-multiprocess     build, then the functional suite with UMKOIN_CMD=\"<ours>/umkoin -m\",
                        or against the binaries named by UMKOIND / UMKOIN_CMD if set
  bench rpc             spawn-to-first-RPC and getblockcount throughput, ours and a bare
                        hyper server, side by side
  bench ipc [ARGS...]   Echo round trips: in process, capnp-rpc alone, over IPC from 1 and
                        8 threads, and a raw socket-pair ping-pong (the floor), side by side
  bench node            generatetoaddress 200 and 2,000 blocks, and submitblock of 200
                        blocks of 500 transactions, with memory after each, ours and
                        Umkoin Core's umkoind
";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        print!("{USAGE}");
        return Ok(());
    };
    match cmd.as_str() {
        "build" => build::run(),
        "codegen" => codegen::run(rest),
        "node" => node::run(rest),
        "test" => test::run(rest),
        "test-multiprocess" => test::run_multiprocess(rest),
        "bench" => bench::run(rest),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}
