//! Every mapping umkoin-mpgen generates, through a real socket pair: the generated
//! proxies must answer exactly what a plain in-process implementation (`mod reference`)
//! answers, for any input (proptest); N threads calling at once each get their own
//! answers on their own server threads; callbacks nest without deadlock; a dropped
//! connection is an error at every call site, never a hang.

use std::sync::{Arc, Mutex, OnceLock};

use proptest::prelude::*;
use umkoin_interfaces::ipc::echo::Echo;
use umkoin_interfaces::ipc::init::Init;
use umkoin_interfaces::ipc::tester::{
    Callback, Inner, ListsResult, Sample, TestInit, TestInitProxy, TestInitServer, Tester,
};
use umkoin_interfaces::mp;

/// Where `slow` calls wait, by the value they answer (one gate per test, since
/// `cargo test` runs tests side by side in one process): the test sees a call arrive
/// (`entered`) and lets it go (`open`), so no test depends on how long anything takes.
#[derive(Default)]
struct Gate {
    entered: u32,
    open: bool,
}

type Gates = (
    Mutex<std::collections::HashMap<u64, Gate>>,
    std::sync::Condvar,
);

static GATES: std::sync::LazyLock<Gates> = std::sync::LazyLock::new(Default::default);

/// Waits until a `slow` call answering `key` has reached its server thread.
fn wait_entered(key: u64) {
    let (lock, signal) = &*GATES;
    let gates = lock.lock().expect("gates");
    let (_gates, waited) = signal
        .wait_timeout_while(gates, std::time::Duration::from_secs(60), |g| {
            g.get(&key).is_none_or(|g| g.entered == 0)
        })
        .expect("gates");
    assert!(
        !waited.timed_out(),
        "the slow call never reached its server thread"
    );
}

/// Lets the `slow` calls answering `key` go.
fn open_gate(key: u64) {
    let (lock, signal) = &*GATES;
    lock.lock().expect("gates").entry(key).or_default().open = true;
    signal.notify_all();
}

/// Plain in-process implementations: the model the proxies are compared against.
mod reference {
    use super::*;

    pub struct EchoImpl;

    impl Echo for EchoImpl {
        fn echo(&self, echo: String) -> mp::Result<String> {
            Ok(echo)
        }
    }

    pub struct TesterImpl;

    impl Tester for TesterImpl {
        fn round_trip(&self, value: Sample) -> mp::Result<Sample> {
            Ok(value)
        }
        fn lists(
            &self,
            texts: Vec<String>,
            blobs: Vec<Vec<u8>>,
            ints: Vec<i64>,
        ) -> mp::Result<ListsResult> {
            Ok(ListsResult { texts, blobs, ints })
        }
        fn maybe(&self, value: Sample, present: bool) -> mp::Result<Option<Sample>> {
            Ok(present.then_some(value))
        }
        fn fail(&self, message: String) -> mp::Result<()> {
            Err(mp::Error::failed(message))
        }
        fn call_back(
            &self,
            callback: Arc<dyn Callback>,
            value: String,
            depth: u32,
        ) -> mp::Result<String> {
            callback.call(value, depth)
        }
        fn increment(&self, value: i32) -> mp::Result<i32> {
            Ok(value.wrapping_add(1))
        }
        fn thread_name(&self) -> mp::Result<String> {
            Ok(format!("{:?}", std::thread::current().id()))
        }
        fn slow(&self, millis: u32, value: u64) -> mp::Result<u64> {
            if millis == 0 {
                return Ok(value);
            }
            let (lock, signal) = &*GATES;
            let mut gates = lock.lock().expect("gates");
            gates.entry(value).or_default().entered += 1;
            signal.notify_all();
            let limit = std::time::Duration::from_millis(millis.into());
            let (gates, waited) = signal
                .wait_timeout_while(gates, limit, |g| !g.get(&value).is_some_and(|g| g.open))
                .expect("gates");
            if waited.timed_out() && !gates.get(&value).is_some_and(|g| g.open) {
                return Err(mp::Error::failed("the gate never opened"));
            }
            Ok(value)
        }
    }

    pub struct InitImpl;

    impl Init for InitImpl {
        fn make_echo(&self) -> mp::Result<Arc<dyn Echo>> {
            Ok(Arc::new(EchoImpl))
        }
        fn make_mining_old2(&self) -> mp::Result<()> {
            Err(mp::Error::failed(
                "Old mining interface (@2) not supported. Please update your client!",
            ))
        }
        fn make_mining(&self) -> mp::Result<Arc<dyn umkoin_interfaces::ipc::mining::Mining>> {
            Err(mp::Error::failed("no mining here"))
        }
        fn make_rpc(&self) -> mp::Result<Arc<dyn umkoin_interfaces::ipc::rpc::Rpc>> {
            Err(mp::Error::failed("no rpc here"))
        }
    }

    impl TestInit for InitImpl {
        fn make_tester(&self) -> mp::Result<Arc<dyn Tester>> {
            Ok(Arc::new(TesterImpl))
        }
    }

    /// A callback that calls the tester back until `depth` runs out, then answers.
    pub struct Nesting {
        pub tester: Arc<dyn Tester>,
        pub this: OnceLock<std::sync::Weak<Nesting>>,
    }

    impl Callback for Nesting {
        fn call(&self, value: String, depth: u32) -> mp::Result<String> {
            if depth == 0 {
                return Ok(format!("{value}."));
            }
            let me: Arc<dyn Callback> = self
                .this
                .get()
                .and_then(std::sync::Weak::upgrade)
                .expect("alive while called");
            let inner = self.tester.call_back(me, value, depth - 1)?;
            Ok(format!("{inner}<{depth}"))
        }
    }
}

/// A tester over a fresh socket pair (one per call: connections are cheap).
fn remote() -> (Arc<dyn Tester>, Remote) {
    let (server, client) = std::os::unix::net::UnixStream::pair().expect("socketpair");
    umkoin_ipc::serve_stream(
        "roundtrip",
        server,
        Arc::new(|conn| TestInitServer::client(conn, Arc::new(reference::InitImpl)).client),
        Box::new(|| {}),
    )
    .expect("serve");
    let umkoin_ipc::Connection {
        init,
        bootstrap,
        conn,
        ..
    } = umkoin_ipc::attach("roundtrip", client).expect("attach");
    let test_init = TestInitProxy::from_handle(bootstrap);
    let tester = test_init.make_tester().expect("makeTester");
    (tester, Remote { init, conn })
}

/// What a test keeps of a connection.
struct Remote {
    init: Arc<dyn Init>,
    conn: Arc<umkoin_ipc::Conn>,
}

fn sample_strategy() -> impl Strategy<Value = Sample> {
    let inner = (
        ".{0,20}",
        proptest::collection::vec(
            any::<f32>().prop_filter("NaN never equals", |f| !f.is_nan()),
            0..5,
        ),
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..10), 0..4),
    )
        .prop_map(|(label, values, blobs)| Inner {
            label,
            values,
            blobs,
        });
    (
        (
            any::<bool>(),
            any::<i8>(),
            any::<u16>(),
            any::<i32>(),
            any::<u64>(),
        ),
        any::<f64>().prop_filter("NaN never equals", |f| !f.is_nan()),
        ".{0,40}",
        proptest::collection::vec(any::<u8>(), 0..64),
        proptest::collection::vec(any::<i32>(), 0..16),
        proptest::collection::vec(".{0,8}", 0..6),
        proptest::option::of(inner.clone()),
        proptest::collection::vec(inner, 0..3),
        any::<i64>(),
    )
        .prop_map(
            |(
                (flag, small, medium, count, big),
                ratio,
                name,
                blob,
                ints,
                names,
                inner,
                inners,
                defaulted,
            )| Sample {
                flag,
                small,
                medium,
                count,
                big,
                ratio,
                name,
                blob,
                ints,
                names,
                inner,
                inners,
                defaulted,
            },
        )
}

fn shared_tester() -> &'static (Arc<dyn Tester>, Mutex<Remote>) {
    static T: OnceLock<(Arc<dyn Tester>, Mutex<Remote>)> = OnceLock::new();
    T.get_or_init(|| {
        let (t, c) = remote();
        (t, Mutex::new(c))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn structs_round_trip(value in sample_strategy()) {
        let (tester, _) = shared_tester();
        let model = reference::TesterImpl;
        prop_assert_eq!(tester.round_trip(value.clone()), model.round_trip(value));
    }

    #[test]
    fn lists_round_trip(
        texts in proptest::collection::vec(".{0,12}", 0..8),
        blobs in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..32), 0..8),
        ints in proptest::collection::vec(any::<i64>(), 0..32),
    ) {
        let (tester, _) = shared_tester();
        let model = reference::TesterImpl;
        prop_assert_eq!(
            tester.lists(texts.clone(), blobs.clone(), ints.clone()),
            model.lists(texts, blobs, ints)
        );
    }

    #[test]
    fn optionals_round_trip(value in sample_strategy(), present in any::<bool>()) {
        let (tester, _) = shared_tester();
        let model = reference::TesterImpl;
        prop_assert_eq!(tester.maybe(value.clone(), present), model.maybe(value, present));
    }

    #[test]
    fn errors_round_trip(message in ".{0,60}") {
        let (tester, _) = shared_tester();
        let model = reference::TesterImpl;
        prop_assert_eq!(tester.fail(message.clone()), model.fail(message));
    }

    #[test]
    fn calls_without_context_round_trip(value in any::<i32>()) {
        let (tester, _) = shared_tester();
        let model = reference::TesterImpl;
        prop_assert_eq!(tester.increment(value), model.increment(value));
    }

    #[test]
    fn echo_round_trips_any_string(text in ".{0,200}") {
        let (tester, connection) = shared_tester();
        let _ = tester;
        let echo = connection.lock().expect("lock").init.make_echo().expect("makeEcho");
        prop_assert_eq!(echo.echo(text.clone()), Ok(text));
    }
}

#[test]
fn echo_round_trips_empty_and_multi_megabyte_strings() {
    let (_, connection) = remote();
    let echo = connection.init.make_echo().expect("makeEcho");
    for text in [
        String::new(),
        "grüße ☃ 𝄞".to_owned(),
        "x".repeat(3 << 20),
        "é".repeat(1 << 20),
    ] {
        assert_eq!(echo.echo(text.clone()).as_deref(), Ok(text.as_str()));
    }
}

#[test]
fn callbacks_and_nested_callbacks_never_deadlock() {
    let (tester, _connection) = remote();
    for depth in [0u32, 1, 2, 5, 12] {
        let nesting = Arc::new(reference::Nesting {
            tester: Arc::clone(&tester),
            this: OnceLock::new(),
        });
        nesting
            .this
            .set(Arc::downgrade(&nesting))
            .expect("set once");
        let model_tester: Arc<dyn Tester> = Arc::new(reference::TesterImpl);
        let model = Arc::new(reference::Nesting {
            tester: model_tester,
            this: OnceLock::new(),
        });
        model.this.set(Arc::downgrade(&model)).expect("set once");
        let want = model.call("v".to_owned(), depth);
        let got = tester.call_back(nesting, "v".to_owned(), depth);
        assert_eq!(got, want, "depth {depth}");
    }
}

#[test]
fn each_client_thread_gets_its_own_server_thread_and_answers() {
    let (tester, _connection) = remote();
    let threads: Vec<_> = (0..8u64)
        .map(|i| {
            let tester = Arc::clone(&tester);
            std::thread::spawn(move || {
                let name = tester.thread_name().expect("threadName");
                for k in 0..50u64 {
                    let value = i * 1000 + k;
                    assert_eq!(tester.slow(0, value), Ok(value));
                    assert_eq!(tester.thread_name().as_deref(), Ok(name.as_str()));
                }
                name
            })
        })
        .collect();
    let names: std::collections::BTreeSet<String> = threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect();
    assert_eq!(
        names.len(),
        8,
        "one server thread per client thread: {names:?}"
    );
}

#[test]
fn a_blocking_call_does_not_stall_other_callers() {
    let (tester, _connection) = remote();
    let slow = {
        let tester = Arc::clone(&tester);
        std::thread::spawn(move || tester.slow(120_000, 7))
    };
    // While one thread's call blocks on its server thread (until the gate opens, which
    // only happens below), another's calls go through, and calls without a Context run
    // on the loop, which is not blocked either. A stalled runtime fails the call with
    // "the gate never opened" after two minutes instead of answering 7.
    wait_entered(7);
    for i in 0..20 {
        assert_eq!(tester.increment(i), Ok(i + 1));
        assert_eq!(tester.slow(0, i as u64), Ok(i as u64));
    }
    assert!(
        !slow.is_finished(),
        "the blocked call cannot have answered yet"
    );
    open_gate(7);
    assert_eq!(slow.join().expect("thread"), Ok(7));
}

#[test]
fn a_dropped_connection_fails_pending_and_later_calls() {
    let (tester, connection) = remote();
    let pending = {
        let tester = Arc::clone(&tester);
        std::thread::spawn(move || tester.slow(60_000, 1))
    };
    // Once the call is running on its server thread, drop the connection.
    wait_entered(1);
    connection.conn.close();
    let result = pending.join().expect("thread");
    assert!(
        matches!(result, Err(mp::Error::Disconnected(_))),
        "{result:?}"
    );
    assert!(matches!(
        tester.increment(1),
        Err(mp::Error::Disconnected(_))
    ));
    assert!(!connection.conn.is_alive());
}
