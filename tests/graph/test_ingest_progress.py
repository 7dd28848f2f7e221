"""What ingest tells a progress display: every byte of input once, a large document as its units
are extracted (not all at once at the end), and the step it is on while the store is written."""
from __future__ import annotations

from dutygraph.graph.ingest import ingest_paths
from dutygraph.graph.store import open_store
from tests.shared import SEEDS


class Recorder:
    def __init__(self, total: int):
        self.total = total
        self.events: list[tuple] = []

    def advance(self, size: int) -> None:
        self.events.append(("advance", size))

    def step(self, name: str) -> None:
        self.events.append(("step", name))

    def close(self) -> None:
        self.events.append(("close",))

    def advances(self) -> list[int]:
        return [event[1] for event in self.events if event[0] == "advance"]


def ingest_recorded(paths, folder) -> list[Recorder]:
    recorders: list[Recorder] = []

    def progress(total: int) -> Recorder:
        recorders.append(Recorder(total))
        return recorders[-1]

    store = open_store(str(folder))
    try:
        report = ingest_paths(paths, store, progress=progress)
    finally:
        store.close()
    assert report.ok, report.problems
    return recorders


def test_every_byte_of_input_is_told_once_and_the_store_write_is_a_step(tmp_path):
    seeds = sorted(SEEDS.glob("*.txt"))[:3]
    [recorder] = ingest_recorded(seeds, tmp_path / "store")
    advances = recorder.advances()
    assert recorder.total == sum(path.stat().st_size for path in seeds)
    assert all(size > 0 for size in advances) and sum(advances) == recorder.total
    steps = [event[1] for event in recorder.events if event[0] == "step"]
    assert steps[0] == "extracting" and "writing" in steps and steps[-1] == "closing"
    assert recorder.events[-1] == ("close",)


def test_one_document_is_told_as_its_units_are_extracted(tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[0]
    [recorder] = ingest_recorded([seed], tmp_path / "store")
    before_writing = recorder.events[:recorder.events.index(("step", "writing"))]
    told = [event[1] for event in before_writing if event[0] == "advance"]
    assert len(told) > 10, told  # the seed's 93 units move the bar, not its end alone
    assert max(told) < recorder.total / 2  # no share told at once is most of the file


def test_nothing_to_build_is_a_display_of_nothing(tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[0]
    ingest_recorded([seed], tmp_path / "store")
    [again] = ingest_recorded([seed], tmp_path / "store")  # unchanged: skipped
    assert again.total == 0 and again.advances() == []
