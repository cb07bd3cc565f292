//! Start-up failures: every bad command line, config file or datadir ends with
//! `Error: ...` on stderr and exit code 1, as Umkoin Core's do, and nothing is started.

use umkoin_harness::{ErrorMatch, TestContext, TestFramework};

fn stopped(name: &str, body: impl FnOnce(&mut TestContext) -> anyhow::Result<()>) {
    TestFramework::new(name)
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(body);
}

#[test]
fn unknown_option_is_refused() {
    stopped("unknown_option_is_refused", |t| {
        let node = t.node(0);
        node.assert_start_raises_init_error(
            &["-foo"],
            Some("Error: Error parsing command line arguments: Invalid parameter -foo"),
            ErrorMatch::Full,
        )?;
        node.assert_start_raises_init_error(
            &["-nodatadir"],
            Some("Error: Error parsing command line arguments: Negating of -datadir is meaningless and therefore forbidden"),
            ErrorMatch::Full,
        )?;
        node.assert_start_raises_init_error(
            &["-regtest.rpcport=1"],
            Some(
                "Error: Error parsing command line arguments: Invalid parameter -regtest.rpcport=1",
            ),
            ErrorMatch::Full,
        )?;
        node.assert_start_raises_init_error(
            &["stray"],
            Some("Error: Command line contains unexpected token 'stray'"),
            ErrorMatch::Partial,
        )
    });
}

#[test]
fn missing_datadir_is_refused() {
    stopped("missing_datadir_is_refused", |t| {
        let missing = t.dir().join("does-not-exist");
        let arg = format!("-datadir={}", missing.display());
        let node = t.node(0);
        node.assert_start_raises_init_error(
            &[&arg],
            Some(&format!(
                "Error: Specified data directory \"{}\" does not exist.",
                missing.display()
            )),
            ErrorMatch::Full,
        )?;
        assert!(
            !missing.exists(),
            "a refused start must not create the datadir"
        );
        Ok(())
    });
}

#[test]
fn ipc_options_belong_to_the_multiprocess_node() {
    stopped("ipc_options_belong_to_the_multiprocess_node", |t| {
        if std::env::var_os("UMKOIN_CMD").is_some() {
            // `umkoin -m node -ipcbind=unix` runs umkoin-node, which takes it.
            return Ok(());
        }
        t.node(0).assert_start_raises_init_error(
            &["-ipcbind=unix"],
            Some("Error: Error parsing command line arguments: Invalid parameter -ipcbind=unix"),
            ErrorMatch::Full,
        )
    });
}

#[test]
fn second_node_on_a_datadir_is_refused() {
    TestFramework::new("second_node_on_a_datadir_is_refused")
        .num_nodes(2)
        .setup_clean_chain(true)
        .run(|t| {
            // Node 1 started on node 0's datadir (with its own ports).
            let datadir = t.nodes[0].datadir().to_owned();
            t.nodes[1].stop()?;
            let arg = format!("-datadir={}", datadir.display());
            t.nodes[1].assert_start_raises_init_error(
                &[&arg],
                Some(&format!(
                    "Error: Cannot obtain a lock on directory {}. Umkoin Core is probably already running.",
                    datadir.join("regtest").display()
                )),
                ErrorMatch::Full,
            )?;
            // The running node is untouched.
            assert_eq!(
                t.nodes[0].call("getblockcount", serde_json::json!([]))?,
                serde_json::json!(0)
            );
            Ok(())
        });
}

#[test]
fn chain_selection_errors() {
    stopped("chain_selection_errors", |t| {
        let node = t.node(0);
        node.assert_start_raises_init_error(
            &["-testnet", "-chain=regtest"],
            Some("Error: Invalid combination of -regtest, -signet, -testnet, -testnet4 and -chain. Can use at most one."),
            ErrorMatch::Full,
        )
    });
}

#[test]
fn config_file_errors() {
    stopped("config_file_errors", |t| {
        let node = t.node(0);
        let conf = node.conf_path();
        let good = std::fs::read_to_string(&conf)?;
        let cases: &[(&str, &str)] = &[
            (
                "-dash=1\n",
                "Error: Error reading configuration file: parse error on line 1: -dash=1, options in configuration file must be specified without leading -",
            ),
            (
                "nolisten\n",
                "Error: Error reading configuration file: parse error on line 1: nolisten, if you intended to specify a negated option, use nolisten=1 instead",
            ),
            (
                "rpcpassword=a#b\n",
                "Error: Error reading configuration file: parse error on line 1, using # in rpcpassword can be ambiguous and should be avoided",
            ),
            (
                "conf=other.conf\n",
                "Error: Error reading configuration file: conf cannot be set in the configuration file; use includeconf= if you want to include additional config files",
            ),
            (
                "includeconf=missing.conf\n",
                "Error: Error reading configuration file: Failed to include configuration file missing.conf",
            ),
        ];
        for (prefix, expected) in cases {
            std::fs::write(&conf, format!("{prefix}{good}"))?;
            node.assert_start_raises_init_error(&[], Some(expected), ErrorMatch::Full)?;
        }
        // A network-only option at the top of the file, for regtest.
        std::fs::write(
            &conf,
            good.replacen("[regtest]", "rpcbind=127.0.0.1\n[regtest]", 1),
        )?;
        node.assert_start_raises_init_error(
            &[],
            Some("Error: Config setting for -rpcbind only applied on regtest network when in [regtest] section."),
            ErrorMatch::Full,
        )?;
        std::fs::write(&conf, good)?;
        Ok(())
    });
}

#[test]
fn includeconf_from_command_line_is_refused() {
    stopped("includeconf_from_command_line_is_refused", |t| {
        t.node(0).assert_start_raises_init_error(
            &["-includeconf=foo.conf"],
            Some("Error: Error parsing command line arguments: -includeconf cannot be used from commandline; -includeconf=\"foo.conf\""),
            ErrorMatch::Full,
        )
    });
}

#[test]
fn bad_option_values_are_refused() {
    stopped("bad_option_values_are_refused", |t| {
        let node = t.node(0);
        node.assert_start_raises_init_error(
            &["-debug=nosuchcategory"],
            Some("Error: Unsupported logging category -debug=nosuchcategory."),
            ErrorMatch::Full,
        )?;
        node.assert_start_raises_init_error(
            &["-loglevel=nosuchlevel"],
            Some("Error: Unsupported global logging level -loglevel=nosuchlevel. Valid values: info, debug, trace."),
            ErrorMatch::Full,
        )?;
        node.assert_start_raises_init_error(
            &["-minrelaytxfee=abc"],
            Some("Error: Invalid amount for -minrelaytxfee=<amount>: 'abc'"),
            ErrorMatch::Full,
        )?;
        // Core names the bad value in debug.log and only says on stderr that RPC failed.
        node.assert_start_raises_init_error(
            &["-rpccookieperms=bogus"],
            Some("Error: Unable to start HTTP server. See debug log for details."),
            ErrorMatch::Full,
        )?;
        let log = std::fs::read_to_string(node.debug_log_path())?;
        assert!(
            log.contains(
                "Invalid -rpccookieperms=bogus; must be one of 'owner', 'group', or 'all'."
            )
        );
        Ok(())
    });
}

/// Options that would turn on a feature this node does not have must fail start-up
/// with an error that names them (Umkoin Core has the features, so it starts).
#[test]
fn missing_features_are_refused_by_name() {
    stopped("missing_features_are_refused_by_name", |t| {
        ours_only!(t);
        let node = t.node(0);
        for arg in [
            "-prune=550",
            "-coinstatsindex",
            "-blocksonly",
            "-proxy=127.0.0.1:9050",
            "-wallet=w1",
            "-connect=127.0.0.1:1",
        ] {
            let name = arg
                .trim_start_matches('-')
                .split('=')
                .next()
                .expect("split yields at least one part");
            node.assert_start_raises_init_error(
                &[arg],
                Some(&format!("Error: -{name} is not supported by this node yet")),
                ErrorMatch::Partial,
            )?;
        }
        for (arg, chain) in [
            ("-testnet4", "testnet4"),
            ("-signet", "signet"),
            ("-chain=signet", "signet"),
        ] {
            // -testnet4 and -signet combined with the config's regtest=1 would be a
            // combination error; give them alone.
            let conf = node.conf_path();
            let good = std::fs::read_to_string(&conf)?;
            std::fs::write(&conf, good.replace("regtest=1\n", ""))?;
            let res = node.assert_start_raises_init_error(
                &[arg],
                Some(&format!("Error: -chain={chain}")),
                ErrorMatch::Partial,
            );
            std::fs::write(&conf, good)?;
            res?;
        }
        Ok(())
    });
}

/// Options that only tune, or turn off what this node lacks, are accepted and named in
/// `debug.log` as not acted on.
#[test]
fn tuning_options_are_accepted_and_logged() {
    TestFramework::new("tuning_options_are_accepted_and_logged")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            ours_only!(t);
            let node = t.node(0);
            node.start_with_args(&[
                "-prune=0",
                "-listen=0",
                "-nodnsseed",
                "-coinstatsindex=0",
                "-maxconnections=3",
            ])?;
            let log = std::fs::read_to_string(node.debug_log_path())?;
            for name in [
                "prune",
                "listen",
                "dnsseed",
                "coinstatsindex",
                "maxconnections",
            ] {
                let line = format!("Option -{name} is set but not acted on");
                assert_eq!(
                    log.matches(&line).count(),
                    1,
                    "{line:?} must be logged exactly once"
                );
            }
            node.stop()
        });
}

#[test]
fn mempool_and_port_options_are_checked() {
    stopped("mempool_and_port_options_are_checked", |t| {
        let node = t.node(0);
        for (arg, msg) in [
            ("-maxmempool=1", "Error: -maxmempool must be at least 5 MB"),
            (
                "-limitclustercount=65",
                "Error: limitclustercount must be less than or equal to 64",
            ),
            (
                "-rpcport=70000",
                "Error: Invalid port specified in -rpcport: '70000'",
            ),
            (
                "-rpcbind=127.0.0.1:x",
                "Error: Invalid port specified in -rpcbind: '127.0.0.1:x'",
            ),
            ("-chain=nosuchchain", "Error: Unknown chain nosuchchain."),
        ] {
            // -chain= with the config's regtest=1 would be a combination error.
            let conf = node.conf_path();
            let good = std::fs::read_to_string(&conf)?;
            if arg.starts_with("-chain") {
                std::fs::write(&conf, good.replace("regtest=1\n", ""))?;
            }
            let res = node.assert_start_raises_init_error(&[arg], Some(msg), ErrorMatch::Full);
            std::fs::write(&conf, good)?;
            res?;
        }
        Ok(())
    });
}

#[test]
fn bad_test_activation_heights_are_refused() {
    stopped("bad_test_activation_heights_are_refused", |t| {
        let node = t.node(0);
        for (value, why) in [
            ("foo", "Invalid format (foo)"),
            ("bip34@x", "Invalid height value (bip34@x)"),
            ("bip34@-1", "Invalid height value (bip34@-1)"),
            ("bip35@5", "Invalid name (bip35@5)"),
        ] {
            node.assert_start_raises_init_error(
                &[&format!("-testactivationheight={value}")],
                Some(&format!(
                    "Error: {why} for -testactivationheight=name@height."
                )),
                ErrorMatch::Full,
            )?;
        }
        Ok(())
    });
}

#[test]
fn bad_version_bits_parameters_are_refused() {
    stopped("bad_version_bits_parameters_are_refused", |t| {
        let node = t.node(0);
        let malformed = "Version bits parameters malformed, expecting deployment:start:end[:min_activation_height]";
        for (value, why) in [
            ("foo", malformed),
            ("testdummy:1", malformed),
            ("testdummy:1:2:3:4", malformed),
            ("testdummy:x:1", "Invalid nStartTime (x)"),
            ("testdummy:1:y", "Invalid nTimeout (y)"),
            ("testdummy:1:2:z", "Invalid min_activation_height (z)"),
            ("bogus:1:2", "Invalid deployment (bogus)"),
        ] {
            node.assert_start_raises_init_error(
                &[&format!("-vbparams={value}")],
                Some(&format!("Error: {why}")),
                ErrorMatch::Full,
            )?;
        }
        Ok(())
    });
}

#[test]
fn bad_block_weights_are_refused() {
    stopped("bad_block_weights_are_refused", |t| {
        let node = t.node(0);
        for (arg, message) in [
            (
                "-blockmaxweight=4000001",
                "Specified -blockmaxweight (4000001) exceeds consensus maximum block weight (4000000)",
            ),
            (
                "-blockreservedweight=4000001",
                "Specified -blockreservedweight (4000001) exceeds consensus maximum block weight (4000000)",
            ),
            (
                "-blockreservedweight=1999",
                "Specified -blockreservedweight (1999) is lower than minimum safety value of (2000)",
            ),
        ] {
            node.assert_start_raises_init_error(
                &[arg],
                Some(&format!("Error: {message}")),
                ErrorMatch::Full,
            )?;
        }
        Ok(())
    });
}
