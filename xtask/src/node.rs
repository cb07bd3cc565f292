//! `cargo xtask node ARGS`: build every binary, then run the multiprocess node through
//! the wrapper, `umkoin -m node ARGS`, in the foreground.

use std::os::unix::process::CommandExt;

use anyhow::{Result, bail};

use crate::{build, util};

/// Build, then exec `umkoin -m node ARGS`.
pub fn run(args: &[String]) -> Result<()> {
    build::run()?;
    let wrapper = util::bin_dir().join("umkoin");
    let mut c = std::process::Command::new(&wrapper);
    c.arg("-m").arg("node").args(args);
    eprintln!("$ {}", util::describe(&c));
    let err = c.exec();
    bail!("could not run {}: {err}", wrapper.display())
}
