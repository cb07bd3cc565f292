# A test interface of umkoin-rs (not Core's, never served by a node): it exercises every
# mapping umkoin-mpgen supports (primitives, Text, Data, lists, structs, optionals,
# errors, callbacks, nested callbacks, calls without a Context), so the property tests
# can round-trip each through a real socket pair against a plain in-process model.

@0x9626c460c6858597;

using Proxy = import "proxy.capnp";

struct Sample @0xeee6e033831ccd2d {
  flag @0 :Bool;
  small @1 :Int8;
  medium @2 :UInt16;
  count @3 :Int32;
  big @4 :UInt64;
  ratio @5 :Float64;
  name @6 :Text;
  blob @7 :Data;
  ints @8 :List(Int32);
  names @9 :List(Text);
  inner @10 :Inner;
  hasInner @11 :Bool;
  inners @12 :List(Inner);
  defaulted @13 :Int64 = 2100000000000000;
}

struct Inner @0x86be53c5281e0ec5 {
  label @0 :Text;
  values @1 :List(Float32);
  blobs @2 :List(Data);
}

interface Tester @0x88cb18dc057a335f {
  # Answers `value` unchanged.
  roundTrip @0 (context :Proxy.Context, value :Sample) -> (result :Sample);
  # Answers the three lists unchanged (a method with several results).
  lists @1 (context :Proxy.Context, texts :List(Text), blobs :List(Data), ints :List(Int64))
      -> (texts :List(Text), blobs :List(Data), ints :List(Int64));
  # Answers `value` when `present`, else nothing (`hasResult`).
  maybe @2 (context :Proxy.Context, value :Sample, present :Bool)
      -> (result :Sample, hasResult :Bool);
  # Fails with `message`.
  fail @3 (context :Proxy.Context, message :Text) -> ();
  # Calls `callback.call(value, depth)` and answers what it answers.
  callBack @4 (context :Proxy.Context, callback :Callback, value :Text, depth :UInt32)
      -> (result :Text);
  # Runs on the event loop (no Context): adds one.
  increment @5 (value :Int32) -> (result :Int32);
  # The name of the thread that runs the call.
  threadName @6 (context :Proxy.Context) -> (result :Text);
  # Blocks its thread until the test lets it go (or `millis` milliseconds pass), then
  # answers `value`: a call that blocks.
  slow @7 (context :Proxy.Context, millis :UInt32, value :UInt64) -> (result :UInt64);
}

interface Callback @0xf197c57705c86db9 {
  # The callback: may call the tester again, nesting.
  call @0 (context :Proxy.Context, value :Text, depth :UInt32) -> (result :Text);
}

using Init = import "init.capnp";

# The bootstrap of a test server: Core's `Init` plus the tester.
interface TestInit @0x8886d7a5a12de316 extends(Init.Init) {
  makeTester @0 (context :Proxy.Context) -> (result :Tester);
}
