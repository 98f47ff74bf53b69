"""The workflow definitions from the command line and in the interface."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from caseflow import ROOT, create_app
from caseflow.cli import main
from caseflow.workflow.definition import DefinitionError
from tests.builders import page_text


def test_workflows_check_validates_every_file():
    result = CliRunner().invoke(main, ["workflows", "check"])
    assert result.exit_code == 0, result.output
    assert "accompagnement v1" in result.output
    assert "protocole-nicolet-yamaska v1" in result.output


def _broken_copy(tmp_path: Path) -> Path:
    directory = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", directory)
    source = directory / "accompagnement.toml"
    source.write_text(source.read_text().replace('dest = "closed"', 'dest = "fermé"', 1))
    return directory


def test_workflows_check_names_the_file_and_key_of_a_broken_definition(tmp_path):
    directory = _broken_copy(tmp_path)
    result = CliRunner().invoke(main, ["workflows", "check", "--directory", str(directory)])
    assert result.exit_code != 0
    assert "accompagnement.toml" in result.output and ".dest" in result.output
    assert "fermé" in result.output


def test_a_broken_definition_stops_the_app(tmp_path):
    directory = _broken_copy(tmp_path)
    with pytest.raises(DefinitionError, match=r"accompagnement\.toml: transitions\[\d+\]\.dest"):
        create_app({"INSTANCE_PATH": str(tmp_path), "WORKFLOWS_DIRECTORY": str(directory),
                    "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_workflows_diagram_prints_mermaid():
    result = CliRunner().invoke(main, ["workflows", "diagram", "accompagnement"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("stateDiagram-v2")
    assert "Référencement" in result.output


def test_unknown_workflow_diagram_is_refused():
    result = CliRunner().invoke(main, ["workflows", "diagram", "inexistant"])
    assert result.exit_code != 0 and "unknown workflow" in result.output


def test_the_interface_shows_the_workflow(advisor_client):
    page = page_text(advisor_client.get("/workflows/protocole-nicolet-yamaska"))
    assert "Objectifs du protocole" in page and "stateDiagram-v2" in page
    assert advisor_client.get("/workflows/inexistant").status_code == 404
