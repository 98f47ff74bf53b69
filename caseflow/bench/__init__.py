"""The benchmark: a large generated database, caseflow and its floor served side by side."""


def init_app(app) -> None:
    """Register `caseflow bench` (and `caseflow bench import`)."""
    from caseflow.bench.cli import bench

    app.cli.add_command(bench)
