#!/usr/bin/env python3
"""One IPC session as an independent pycapnp peer would run it against a multiprocess node.

Usage: ipc_echo_session.py SOCKET SCHEMA_DIR THREAD_NAME STRING...

Loads proxy.capnp, init.capnp and echo.capnp from SCHEMA_DIR (a copy of the schemas
that is not the node's own), connects to the node's unix SOCKET, bootstraps Init and
does what Core's test/functional/interface_ipc.py does: construct() without a thread
map, ThreadMap.makeThread(THREAD_NAME) (and Thread.getName), makeEcho with a Context
whose thread is the made thread, echo(s) for each STRING, Echo.destroy, then the
deprecated makeMiningOld2 on a second connection. It asserts nothing: it prints one JSON object saying what it saw, and the
Rust test that runs it (functional/tests/functional/ipc_peers.rs) checks it. Any other
failure is an exception and a non-zero exit.
"""

import asyncio
import json
import sys
from pathlib import Path

import capnp  # type: ignore[import]


def load_schemas(schema_dir):
    # The schemas import "/capnp/c++.capnp": pycapnp ships it in its package folder,
    # so the folder above the package is an import root. The schema folder comes first
    # so that `import "proxy.capnp"` and the load below are the same file.
    bundled = Path(capnp.__path__[0]).parent
    imports = [str(schema_dir), str(bundled)]
    return {
        name: capnp.load(str(schema_dir / f"{name}.capnp"), imports=imports)
        for name in ("proxy", "init", "echo")
    }


async def connect(socket, modules):
    connection = await capnp.AsyncIoStream.create_unix_connection(socket)
    client = capnp.TwoPartyClient(connection)
    return client, client.bootstrap().cast_as(modules["init"].Init)


async def session(socket, modules, thread_name, strings):
    seen = {}
    client, init = await connect(socket, modules)
    # construct(threadMap) with the parameter left null, as Core's own Python test
    # does: this peer serves no callbacks.
    thread_map = (await init.construct()).threadMap
    thread = (await thread_map.makeThread(thread_name)).result
    seen["thread_name"] = (await thread.getName()).result
    ctx = modules["proxy"].Context()
    ctx.thread = thread
    echo = (await init.makeEcho(ctx)).result
    seen["echoed"] = [(await echo.echo(ctx, s)).result for s in strings]
    await echo.destroy(ctx)
    del echo, thread, thread_map, init, client

    _, init = await connect(socket, modules)
    try:
        await init.makeMiningOld2()
        seen["old2"] = None
    except capnp.KjException as e:
        seen["old2"] = {"type": str(e.type), "description": e.description}
    return seen


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    socket, schema_dir, thread_name = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    modules = load_schemas(schema_dir)
    seen = asyncio.run(capnp.run(session(socket, modules, thread_name, sys.argv[4:])))
    seen["pycapnp"] = capnp.__version__
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
