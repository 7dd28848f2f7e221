"""The README and docs tell the truth: its query gives the answer it shows, every verb is documented."""
from __future__ import annotations

import re

from dutygraph.cli import VERBS, build_parser
from dutygraph.graph.query import with_prefixes
from tests.graph.seedstore import seed_store
from tests.shared import PROJECT

README = (PROJECT / "README.md").read_text(encoding="utf-8")
CLI_DOC = (PROJECT / "docs" / "cli.md").read_text(encoding="utf-8")


def readme_query() -> str:
    return re.search(r"```sparql\n(.*?)```", README, re.S).group(1)


def readme_answer_rows() -> list[tuple[int, str]]:
    rows = re.findall(r"^\| (\d+) \| dg:(\w+) \|", README, re.M)
    return [(int(article), modality) for article, modality in rows]


def test_readme_query_is_the_shipped_query_file():
    shipped = (PROJECT / "docs" / "queries" / "readme.rq").read_text(encoding="utf-8")
    body = "\n".join(line for line in shipped.splitlines() if not line.startswith("#"))
    assert readme_query().strip() == body.strip()


def test_readme_answer_is_what_the_seed_graph_answers():
    solutions = seed_store().query(with_prefixes(readme_query()))
    answer = [(int(row["article"].value), row["modality"].value.rsplit("#", 1)[-1]) for row in solutions]
    assert answer == readme_answer_rows()
    assert answer, "the README shows an answer"


def subcommand_parsers():
    parser = build_parser()
    (subparsers,) = [action for action in parser._actions if action.dest == "verb"]
    return subparsers.choices


def test_every_verb_and_option_is_documented():
    for verb, verb_parser in subcommand_parsers().items():
        assert f"dutygraph {verb}" in README, verb
        section = CLI_DOC.split(f"## dutygraph {verb}")[1].split("\n## ")[0]
        for action in verb_parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in section, f"{verb} {option} is not in docs/cli.md"


def test_docs_name_no_verb_that_does_not_exist():
    documented = set(re.findall(r"^## dutygraph (\w+)", CLI_DOC, re.M))
    assert documented == set(VERBS)


def test_query_table_shortens_project_iris(tmp_path, capsys):
    from dutygraph.cli import main

    folder = tmp_path / "store"
    seed_store(folder).close()
    assert main(["query", "--store", str(folder), "@" + str(PROJECT / "docs" / "queries" / "readme.rq")]) == 0
    table = capsys.readouterr().out
    assert "dg:Duty" in table and "https://w3id.org/dutygraph/ns#" not in table
