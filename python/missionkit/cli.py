"""The ``missionkit`` command line: ``missionkit run``, ``missionkit demo``, ``missionkit validate``,
``missionkit version``.

Exit codes: 0 success, 1 the spec has errors, 2 the command could not run (bad arguments, unreadable
file, malformed YAML), 3 the data could not be analysed (a mapped column is missing, a bad value the
quarantine cannot absorb...), 130 interrupted (no half-written report is left behind).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import missionkit as mk
from missionkit import _core

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_DATA, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _issue_line(issue: _core.Issue, source: str) -> str:
    where = f" ({source}:{issue.line}:{issue.column})" if issue.line else ""
    return f"{issue.path}: {issue.severity}: {issue.message}{where}"


def _cmd_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    report = []
    for name in args.files:
        try:
            spec = mk.load_spec(Path(name))
        except mk.SpecError as e:
            print(f"{name}: {e}", file=sys.stderr)
            status = max(status, EXIT_USAGE)
            continue
        issues = spec.validate()
        errors = sum(i.severity == "error" for i in issues)
        if args.format == "json":
            report.append(
                {
                    "file": name,
                    "valid": errors == 0,
                    "issues": [
                        {
                            "path": i.path,
                            "severity": i.severity,
                            "message": i.message,
                            "line": i.line,
                            "column": i.column,
                        }
                        for i in issues
                    ],
                }
            )
        else:
            for issue in issues:
                if issue.severity == "error" or not args.errors_only:
                    print(_issue_line(issue, name))
            print(f"{name}: {errors} error(s), {len(issues) - errors} warning(s)", file=sys.stderr)
        if errors:
            status = max(status, EXIT_INVALID)
    if args.format == "json":
        print(json.dumps(report, indent=2))
    return status


def _demo_text(spec: mk.Spec) -> str:
    """A plain-text tour of a mission spec: what ``missionkit demo`` prints."""
    out: list[str] = []
    m = spec.mission
    out.append(f"Mission: {m.name}")
    out.append(f"  {m.sentence()}")
    ns = spec.north_star
    if ns is not None:
        d = ns.definitions[-1] if ns.definitions else None
        version = f"v{d.version} from {d.effective_from}" if d else "no definition"
        out.append(
            f"North star: {ns.id} - {ns.name} [{ns.unit}, {ns.direction}] ({version}; owner {ns.owner})"
        )
    for tier, title in (("driver", "Drivers (leading indicators)"), ("control", "Operational controls")):
        metrics = spec.metrics_by_tier(tier)
        out.append(f"{title}: {len(metrics)}")
        for x in metrics:
            v = x.definitions[-1].version if x.definitions else "-"
            out.append(f"  {x.id:<22} {x.name} [{x.unit}, {x.direction}] v{v}, owner {x.owner}")
    out.append("Metric tree (child -> parent):")
    for e in spec.tree:
        sign = {1: "+", -1: "-"}.get(e.sign, " ")
        out.append(f"  {e.from_:<22} -> {e.to:<22} {e.kind} {sign}")
    for metric in spec.metrics:
        if len(metric.definitions) > 1:
            for d in metric.definitions[1:]:
                out.append(
                    f"Definition change: {metric.id} v{d.version} from {d.effective_from}: {d.change_note}"
                )
    out.append(f"OKRs: {len(spec.okrs)}")
    for o in spec.okrs:
        out.append(f"  O: {o.objective} (owner {o.owner})")
        for kr in o.key_results:
            stretch = f", stretch {kr.stretch:g}" if kr.stretch is not None else ""
            change = f"{kr.baseline:g} -> {kr.target:g}{stretch}"
            out.append(f"     KR {kr.metric} v{kr.metric_version}: {change} by {kr.due}")
    h = spec.hoshin
    if not h.empty():
        out.append(
            f"X-matrix: {len(h.breakthroughs)} breakthrough, {len(h.annual)} annual, "
            f"{len(h.priorities)} priorities, {len(h.metrics)} metrics, {len(h.owners)} owners, "
            f"{len(h.cells)} cells"
        )
    if spec.blueprint.stages:
        out.append(f"Blueprint: {spec.blueprint.name}")
        for stage in spec.blueprint.stages:
            fails = sum(
                s.fail_point for lane in (stage.customer, stage.frontstage, stage.backstage) for s in lane
            )
            out.append(f"  {stage.name}" + (f"  ({fails} fail point)" if fails else ""))
    for w in spec.work:
        out.append(f"Work {w.id}: {w.title} [{w.framework}: {w.stage}]")
    issues = spec.validate()
    errors = sum(i.severity == "error" for i in issues)
    out.append(f"Validation: {errors} error(s), {len(issues) - errors} warning(s)")
    out.extend("  " + _issue_line(i, spec.source_name) for i in issues)
    return "\n".join(out)


def _measures_text(n_contacts: int, seed: int) -> str:
    """The CX measures on generated data: what ``missionkit demo`` prints after the missions."""
    data = mk.demo.generate(n_contacts, seed=seed)
    log = data.contact_log()
    out = [f"Synthetic contact log: {len(data):,} contacts over a year (mk.demo.generate, seed {seed})"]
    quarantined = {k: v for k, v in log.quarantine_counts.items() if v}
    out.append(
        f"  rows read {log.rows_read:,} = accepted {len(log):,} + quarantined {sum(quarantined.values()):,}"
    )
    out.extend(f"    quarantined for {reason}: {n:,}" for reason, n in quarantined.items())
    for result in (
        log.fcr("7D", same_reason=True),
        log.fcr_reported(),
        log.repeat_rate("7D"),
        log.service_level(20, convention="offered"),
        log.abandonment(),
        log.aht(),
        log.csat(),
        log.nps(),
        log.failure_demand(list(mk.demo.FAILURE_DEMAND)),
    ):
        out.append(f"  {result!r}")
    return "\n".join(out)


def _tour(args: argparse.Namespace) -> int:
    """``missionkit demo --tour``: the example missions in plain text, then measures on generated data."""
    names = mk.example_missions()
    status = EXIT_OK
    for i, name in enumerate(names):
        spec = mk.load_spec(mk.example_mission(name))
        if i:
            print()
        print(_demo_text(spec))
        if any(x.severity == "error" for x in spec.validate()):
            status = EXIT_INVALID
    print()
    print(_measures_text(args.contacts, args.seed))
    return status


def _analyse(spec: Any, data: Any, args: argparse.Namespace, what: str) -> int:
    """Runs mk.run and prints its summary; maps failures to exit codes with a message naming the cause."""
    from missionkit.runner import RunError, run

    try:
        result = run(spec, data, args.out, threads=args.threads, quiet=args.quiet)
    except KeyboardInterrupt:
        print(f"missionkit {what}: interrupted; no report was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except mk.SpecError as e:
        print(f"missionkit {what}: {e}", file=sys.stderr)
        return EXIT_INVALID if getattr(e, "issues", None) else EXIT_USAGE
    except (RunError, mk.DataError, FileNotFoundError, KeyError) as e:
        print(f"missionkit {what}: {e}", file=sys.stderr)
        return EXIT_DATA
    print(result.summary())
    if args.out is not None:
        print(f"Report: {Path(args.out).resolve() / 'index.html'}")
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    return _analyse(args.spec, args.data, args, "run")


def _cmd_demo(args: argparse.Namespace) -> int:
    if args.tour:
        return _tour(args)
    try:
        spec = mk.load_spec(mk.example_mission(args.mission))
    except ValueError as e:
        print(f"missionkit demo: {e}", file=sys.stderr)
        return EXIT_USAGE
    if not args.quiet:
        print(
            f"[missionkit] generating {args.contacts:,} synthetic contacts (seed {args.seed})",
            file=sys.stderr,
        )
    data = mk.demo.generate(args.contacts, seed=args.seed)
    return _analyse(spec, data, args, "demo")


def _run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--threads", type=int, default=None, help="worker threads (default: all cores)")
    p.add_argument("--quiet", action="store_true", help="no progress messages")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="missionkit", description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--version", action="version", version=f"missionkit {mk.__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="validate mission spec files; exit 1 if any has errors")
    v.add_argument("files", nargs="+", help="mission spec files (YAML or JSON)")
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.add_argument("--errors-only", action="store_true", help="print errors, not warnings")
    v.set_defaults(func=_cmd_validate)
    r = sub.add_parser("run", help="run the mission analysis a spec declares on a contact log")
    r.add_argument("spec", help="mission spec (YAML or JSON) with data:, analysis:, measures, experiments...")
    r.add_argument("--data", required=True, help="contact log: a .parquet or .csv file")
    r.add_argument("--out", help="report directory to write (index.html, results.json, tables/)")
    _run_options(r)
    r.set_defaults(func=_cmd_run)
    d = sub.add_parser("demo", help="the whole analysis on generated data with planted effects")
    d.add_argument("--out", default="missionkit-demo", help="report directory (default: missionkit-demo)")
    d.add_argument(
        "--mission", default="demo_contact_centre", choices=mk.example_missions(), help="example mission"
    )
    d.add_argument("--contacts", type=int, default=200_000, help="synthetic contacts to generate")
    d.add_argument("--seed", type=int, default=2026, help="seed of the synthetic data")
    d.add_argument("--tour", action="store_true", help="print the example missions and measures instead")
    _run_options(d)
    d.set_defaults(func=_cmd_demo)
    ver = sub.add_parser("version", help="print the version")
    ver.set_defaults(func=lambda _args: print(f"missionkit {mk.__version__}") or EXIT_OK)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
