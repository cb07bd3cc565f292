//! `ipc-client SOCKET`: an IPC client process for the functional tests. It connects to
//! a node's socket, makes an `Echo`, echoes "ready" through it and prints what came
//! back, then holds the connection open until its stdin closes or it is killed (the
//! tests kill it to check that a killed client leaves the node serving others).

use std::io::Read;

fn main() -> anyhow::Result<()> {
    let socket = std::env::args_os()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: ipc-client SOCKET"))?;
    let connection = umkoin_harness::ipc::connect(std::path::Path::new(&socket))?;
    let echo = connection.init.make_echo()?;
    println!("{}", echo.echo("ready".to_owned())?);
    let mut rest = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut rest);
    Ok(())
}
