//! Config-file semantics as Umkoin Core's: chain sections, `regtest.foo=` keys,
//! `includeconf`, precedence between the command line and the file, `-conf`, `-noconf`.
//! Observed through `getmempoolinfo`, whose `maxmempool` is `-maxmempool` in bytes.

use serde_json::json;
use umkoin_harness::{TestFramework, TestNode};

fn maxmempool(node: &TestNode) -> anyhow::Result<i64> {
    Ok(node.call("getmempoolinfo", json!([]))?["maxmempool"]
        .as_i64()
        .expect("maxmempool is a number"))
}

#[test]
fn sections_precedence_and_includeconf() {
    TestFramework::new("sections_precedence_and_includeconf")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let node = t.node(0);
            let conf = node.conf_path();
            let good = std::fs::read_to_string(&conf)?;

            // [regtest] wins over the top of the file; [main] is ignored on regtest.
            std::fs::write(
                &conf,
                format!("maxmempool=7\n{good}maxmempool=11\n[main]\nmaxmempool=9\n"),
            )?;
            node.start()?;
            assert_eq!(maxmempool(node)?, 11_000_000);
            node.stop()?;

            // In a file the first value counts; on the command line the last.
            std::fs::write(&conf, format!("{good}maxmempool=12\nmaxmempool=13\n"))?;
            node.start()?;
            assert_eq!(maxmempool(node)?, 12_000_000);
            node.stop()?;
            node.start_with_args(&["-maxmempool=20", "-maxmempool=21"])?;
            assert_eq!(
                maxmempool(node)?,
                21_000_000,
                "command line over the file, last wins"
            );
            node.stop()?;

            // `regtest.` keys at the top apply to regtest only.
            std::fs::write(
                &conf,
                format!("regtest.maxmempool=14\nmain.maxmempool=15\n{good}"),
            )?;
            node.start()?;
            assert_eq!(maxmempool(node)?, 14_000_000);
            node.stop()?;

            // includeconf, relative to the datadir, from the chain section.
            std::fs::write(node.datadir().join("extra.conf"), "maxmempool=16\n")?;
            std::fs::write(&conf, format!("{good}includeconf=extra.conf\n"))?;
            node.assert_debug_log(&["Included configuration file extra.conf"], &[], |n| {
                n.start()
            })?;
            assert_eq!(maxmempool(node)?, 16_000_000);
            node.stop()?;
            // -noincludeconf on the command line turns includes off.
            node.start_with_args(&["-noincludeconf"])?;
            assert_eq!(maxmempool(node)?, 300_000_000);
            node.stop()?;

            // Negation: -nofoo in the file.
            std::fs::write(&conf, format!("{good}nopermitbaremultisig=1\n"))?;
            node.start()?;
            assert_eq!(
                node.call("getmempoolinfo", json!([]))?["permitbaremultisig"],
                json!(false)
            );
            node.stop()?;
            std::fs::write(&conf, good)?;
            Ok(())
        });
}

#[test]
fn conf_option_names_another_file() {
    TestFramework::new("conf_option_names_another_file")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let dir = t.dir().to_owned();
            let node = t.node(0);
            // Move the config elsewhere and point -conf at it.
            let other = dir.join("elsewhere.conf");
            std::fs::rename(node.conf_path(), &other)?;
            std::fs::write(
                &other,
                format!("{}maxmempool=17\n", std::fs::read_to_string(&other)?),
            )?;
            let arg = format!("-conf={}", other.display());
            node.start_with_args(&[&arg])?;
            assert_eq!(maxmempool(node)?, 17_000_000);
            node.stop()?;
            // A named config file that does not exist is an error.
            let missing = format!("-conf={}", dir.join("missing.conf").display());
            node.assert_start_raises_init_error(
                &[&missing],
                Some("Error: Error reading configuration file: specified config file"),
                umkoin_harness::ErrorMatch::Partial,
            )?;
            std::fs::rename(&other, node.conf_path())?;
            Ok(())
        });
}

#[test]
fn datadir_layout() {
    TestFramework::new("datadir_layout")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            let chain = node.chain_path();
            assert_eq!(chain, node.datadir().join("regtest"));
            for entry in [
                ".cookie",
                ".lock",
                "debug.log",
                "blocks",
                "wallets",
                "umkoind.pid",
            ] {
                assert!(
                    chain.join(entry).exists(),
                    "{entry} missing from {}",
                    chain.display()
                );
            }
            let info = node.call("getrpcinfo", json!([]))?;
            assert_eq!(
                info["logpath"],
                json!(chain.join("debug.log").display().to_string())
            );
            Ok(())
        });
}

#[test]
fn settings_json_is_read_and_rewritten() {
    TestFramework::new("settings_json_is_read_and_rewritten")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let node = t.node(0);
            let settings = node.chain_path().join("settings.json");
            std::fs::create_dir_all(node.chain_path())?;
            // settings.json sits above the config file.
            node.append_config(&["maxmempool=50"])?;
            std::fs::write(&settings, r#"{"maxmempool": 40}"#)?;
            node.start()?;
            assert_eq!(maxmempool(node)?, 40_000_000);
            node.stop()?;
            let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&settings)?)?;
            assert_eq!(written["maxmempool"], json!(40));
            assert!(
                written["_warning_"]
                    .as_str()
                    .is_some_and(|w| w.contains("Please do not edit this file"))
            );
            // A corrupt file stops start-up with Core's message; nothing is overwritten.
            std::fs::write(&settings, "{bad")?;
            node.assert_start_raises_init_error(
                &[],
                Some("Error: Settings file could not be read:\n- Settings file"),
                umkoin_harness::ErrorMatch::Partial,
            )?;
            assert_eq!(std::fs::read_to_string(&settings)?, "{bad");
            // -nosettings ignores it.
            node.start_with_args(&["-nosettings"])?;
            assert_eq!(maxmempool(node)?, 50_000_000);
            node.stop()
        });
}
