"""Sweeps on a Dask cluster: `aurules impact BASE --sweep ... --scheduler dask[=ADDRESS]`.

The work is cut into partitions, one per population chunk and variant. The chunks are read
here (the cluster's workers need no access to the files) and sent to the workers with the
variants' ruleset data (rulesets are rebuilt there, once per worker); each partition returns
its exact integer sums, which are added here. So the result is the in-process result
whatever the cluster's size or the order partitions finish in. At most a few chunks are in
flight at once, so memory here stays bounded as in the in-process run.

Without an address a `LocalCluster` of this machine's cores is started (and stopped). With
one (`tcp://scheduler:8786`) the partitions go to that cluster, whose workers must have
aurules installed (`pip install 'aurules[cluster]'`, the same version).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

from aurules.model.errors import BadInput
from aurules.model.population.lifecycle import EventTable
from aurules.model.population.table import Population
from aurules.population.sweep import Point, Sweep, SweepResult, _built, run_part

IN_FLIGHT = 4
"""Chunks sent to the cluster before the oldest one's results are awaited."""


def scheduler_address(option: str) -> str | None:
    """`dask` (a local cluster: None) or `dask=ADDRESS`; anything else is bad input."""
    name, _, address = option.partition("=")
    if name != "dask":
        raise BadInput("--scheduler", "", f"expected dask or dask=ADDRESS, got {option!r}")
    return address or None


def client_for(address: str | None) -> tuple[Any, Any]:
    """A Dask client (and the local cluster it owns, or None)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise BadInput(
            "--scheduler",
            "",
            "Dask is not installed here: pip install 'aurules[cluster]' (dask.distributed)",
        ) from None
    if address is None:
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        return Client(cluster), cluster
    try:
        return Client(address, timeout=20), None
    except (OSError, ValueError, TypeError) as exc:  # unreachable, or not an address
        raise BadInput(
            "--scheduler", "", f"cannot reach the Dask scheduler at {address} ({exc})"
        ) from None


def partition(
    part: tuple[Population, EventTable | None],
    base: tuple[str, dict[str, Any]],
    variant: tuple[str, dict[str, Any], str],
) -> Point:
    """One chunk under one variant (run on a worker)."""
    pop, events = part
    name, data, value = variant
    ruleset = _built(name, data)
    return run_part(pop, events, _built(*base), [ruleset], [value])[0]


def sweep_on_dask(
    sweep: Sweep,
    parts: Iterable[Population | tuple[Population, EventTable]],
    *,
    address: str | None,
    source: str,
    label: str = "",
) -> SweepResult:
    """The sweep's partitions on a Dask cluster; the same sums as `sweep_parts`."""
    client, cluster = client_for(address)
    points = [Point(value=v.value) for v in sweep.variants]
    base = (sweep.base_name, sweep.base_data)
    pending: deque[list[Any]] = deque()

    def settle_oldest() -> None:
        for index, point in enumerate(client.gather(pending.popleft())):
            points[index].merge(point)

    try:
        for part in parts:
            pop, events = part if isinstance(part, tuple) else (part, None)
            [shared] = client.scatter([(pop, events)])
            pending.append(
                [
                    client.submit(partition, shared, base, (v.name, v.data, v.value), pure=False)
                    for v in sweep.variants
                ]
            )
            if len(pending) >= IN_FLIGHT:
                settle_oldest()
        while pending:
            settle_oldest()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return SweepResult(
        sweep=sweep,
        source=source,
        label=label,
        points=points,
    )
