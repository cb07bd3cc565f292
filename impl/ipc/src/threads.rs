//! Threads as libmultiprocess runs them. Every thread that takes part in IPC has a
//! [`Waiter`]: a queue of jobs it runs while it waits. A client thread blocked in a call
//! runs the callbacks the other side posts to it (its `Context.callbackThread`), so
//! nested calls never deadlock; a server thread made by `ThreadMap.makeThread` does
//! nothing but run its queue; the pool's threads take jobs that name no thread.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};

use umkoin_interfaces::mp;

use crate::log;

/// A job run on a thread.
pub type Job = Box<dyn FnOnce() + Send>;

#[derive(Default)]
struct WaiterState {
    jobs: VecDeque<Job>,
    done: HashMap<u64, mp::Result<()>>,
    next_call: u64,
    exit: bool,
}

/// A thread's queue of jobs and of finished calls.
#[derive(Default)]
pub struct Waiter {
    state: Mutex<WaiterState>,
    ready: Condvar,
}

impl Waiter {
    fn lock(&self) -> MutexGuard<'_, WaiterState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `job` for the thread.
    pub fn post(&self, job: Job) {
        self.lock().jobs.push_back(job);
        self.ready.notify_all();
    }

    /// A new call id, to wait for with [`Waiter::wait_for`].
    pub fn new_call(&self) -> u64 {
        let mut s = self.lock();
        s.next_call += 1;
        s.next_call
    }

    /// Marks call `id` done with `result`.
    pub fn complete(&self, id: u64, result: mp::Result<()>) {
        self.lock().done.insert(id, result);
        self.ready.notify_all();
    }

    /// Tells a server thread to stop once its queue is empty.
    pub fn exit(&self) {
        self.lock().exit = true;
        self.ready.notify_all();
    }

    /// Runs queued jobs until call `id` is done, and returns its result.
    pub fn wait_for(&self, id: u64) -> mp::Result<()> {
        let mut s = self.lock();
        loop {
            if let Some(result) = s.done.remove(&id) {
                return result;
            }
            if let Some(job) = s.jobs.pop_front() {
                drop(s);
                job();
                s = self.lock();
                continue;
            }
            s = self.ready.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Runs queued jobs until told to exit (a server thread's whole life).
    pub fn run(&self) {
        let mut s = self.lock();
        loop {
            if let Some(job) = s.jobs.pop_front() {
                drop(s);
                job();
                s = self.lock();
                continue;
            }
            if s.exit {
                return;
            }
            s = self.ready.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// What the runtime knows about the calling thread.
pub struct ThreadInfo {
    /// Unique in the process, for per-thread capabilities kept on the event loop.
    pub key: u64,
    /// The thread's name in log tags and in `makeThread` requests.
    pub name: String,
    /// Its queue.
    pub waiter: Arc<Waiter>,
    /// While the thread runs a request that came with a `callbackThread`, calls it makes
    /// back over that connection go there: (connection id, capability id), innermost last.
    pub callback_targets: Vec<(u64, mp::CapId)>,
    /// Whether the thread's first call was logged.
    pub announced: bool,
}

static NEXT_THREAD_KEY: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static CURRENT: RefCell<Option<ThreadInfo>> = const { RefCell::new(None) };
}

/// Runs `f` with the calling thread's info, made on first use (with a name from
/// libmultiprocess's `ThreadName` unless `name` is given first by [`init_thread`]).
pub fn with_current<R>(f: impl FnOnce(&mut ThreadInfo) -> R) -> R {
    CURRENT.with(|c| {
        let mut c = c.borrow_mut();
        let info = c.get_or_insert_with(|| new_info(log::thread_name(), Arc::default()));
        f(info)
    })
}

fn new_info(name: String, waiter: Arc<Waiter>) -> ThreadInfo {
    ThreadInfo {
        key: NEXT_THREAD_KEY.fetch_add(1, Ordering::Relaxed),
        name,
        waiter,
        callback_targets: Vec::new(),
        announced: false,
    }
}

/// Names the calling thread and gives it `waiter` (server and pool threads).
pub fn init_thread(name: String, waiter: Arc<Waiter>) {
    CURRENT.with(|c| *c.borrow_mut() = Some(new_info(name, waiter)));
}

/// Starts a server thread for `ThreadMap.makeThread(from)`: named as libmultiprocess
/// names it (`<exe>-<pid>/b-capnp-loop-<tid> (from <from>)`); it runs its queue until
/// its `Thread` capability is released. Returns its name and queue.
pub fn spawn_server_thread(from: &str) -> std::io::Result<(String, Arc<Waiter>)> {
    let waiter = Arc::new(Waiter::default());
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let w = Arc::clone(&waiter);
    let from = from.to_owned();
    std::thread::Builder::new()
        .name("b-capnp-loop".to_owned())
        .spawn(move || {
            let name = format!("{} (from {from})", log::thread_name());
            let _ = tx.send(name.clone());
            init_thread(name, Arc::clone(&w));
            w.run();
        })?;
    let name = rx
        .recv()
        .map_err(|_| std::io::Error::other("server thread exited before starting"))?;
    Ok((name, waiter))
}

/// The pool: threads that run requests whose `Context` names no thread. It starts with
/// [`DEFAULT_POOL_SIZE`] threads at first use; `ThreadMap.makePool` grows it.
pub struct Pool {
    queue: Mutex<(VecDeque<Job>, usize)>,
    ready: Condvar,
}

/// The pool's size before any `makePool`.
pub const DEFAULT_POOL_SIZE: usize = 4;

/// The largest pool `makePool` makes.
pub const MAX_POOL_SIZE: usize = 64;

static POOL: OnceLock<Arc<Pool>> = OnceLock::new();

/// The process's pool.
pub fn pool() -> &'static Arc<Pool> {
    POOL.get_or_init(|| {
        let pool = Arc::new(Pool {
            queue: Mutex::new((VecDeque::new(), 0)),
            ready: Condvar::new(),
        });
        pool.grow(DEFAULT_POOL_SIZE);
        pool
    })
}

impl Pool {
    /// The pool's name in `post request` lines.
    pub fn name() -> String {
        format!("{}-{}/b-capnp-pool", log::exe_name(), std::process::id())
    }

    /// Queues `job` for the next free pool thread.
    pub fn post(&self, job: Job) {
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .0
            .push_back(job);
        self.ready.notify_one();
    }

    /// Grows the pool to `count` threads (at most [`MAX_POOL_SIZE`]; it never shrinks).
    pub fn grow(self: &Arc<Self>, count: usize) {
        let count = count.min(MAX_POOL_SIZE);
        let mut q = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        while q.1 < count {
            let pool = Arc::clone(self);
            let spawned = std::thread::Builder::new()
                .name("b-capnp-pool".to_owned())
                .spawn(move || {
                    init_thread(log::thread_name(), Arc::default());
                    pool.work();
                });
            if spawned.is_err() {
                break;
            }
            q.1 += 1;
        }
    }

    fn work(&self) {
        loop {
            let job = {
                let mut q = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
                loop {
                    if let Some(job) = q.0.pop_front() {
                        break job;
                    }
                    q = self.ready.wait(q).unwrap_or_else(PoisonError::into_inner);
                }
            };
            job();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waiting_thread_runs_posted_jobs_until_its_call_is_done() {
        let waiter = Arc::new(Waiter::default());
        let id = waiter.new_call();
        let ran = Arc::new(AtomicU64::new(0));
        let (w, r) = (Arc::clone(&waiter), Arc::clone(&ran));
        let helper = std::thread::spawn(move || {
            let r2 = Arc::clone(&r);
            w.post(Box::new(move || {
                r2.fetch_add(1, Ordering::SeqCst);
            }));
            w.complete(id, Ok(()));
        });
        assert_eq!(waiter.wait_for(id), Ok(()));
        helper.join().expect("helper thread");
        // The job posted before completion ran, or is still queued: run what is left.
        let id2 = waiter.new_call();
        waiter.complete(id2, Ok(()));
        waiter.wait_for(id2).expect("done");
        let _ = ran.load(Ordering::SeqCst);
    }
}
