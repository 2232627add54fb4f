"""What the benchmarks ran on (the CPU's model name), and how they print their figures."""
from __future__ import annotations

import json
import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, else what the platform module knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# The head of the stage table that the target-checking benches print.
TARGET_TABLE = ["| stage | measured | target | ratio | met |", "|---|---:|---:|---:|---|"]


def target_row(stage: str, measured: float, target: float, unit: str) -> str:
    """One row of TARGET_TABLE: the figure in seconds ("s") or milliseconds ("ms"), its target and the ratio."""
    met = "yes" if measured <= target else "**no**"
    ratio = f"{target / measured:.1f}× under" if measured <= target else f"{measured / target:.1f}× over"
    shown = f"{measured:.0f} ms" if unit == "ms" else f"{measured:.1f} s"
    limit = f"≤ {target:.0f} ms" if unit == "ms" else f"≤ {target:.0f} s"
    return f"| {stage} | {shown} | {limit} | {ratio} | {met} |"


def emit(report: str, result: dict, json_path: Path | None) -> None:
    """Print the report; with `--json FILE`, also keep the figures."""
    print(report)
    if json_path:
        json_path.write_text(json.dumps(result, indent=2))
