"""The import benchmark: a synthetic year in CSV, imported into a fresh SQLite database."""

import csv
import random
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from flask_migrate import upgrade

from caseflow.extensions import db
from caseflow.imports.services import Upload, run_import
from caseflow.reference.seed import ORGANISATIONS, REFERENCE_DATA

INTERVENTIONS_PER_DOSSIER = 5
HEADER = ["dossier", "titre", "ouvert_le", "territoire", "secteur", "phase", "forme_juridique",
          "groupe_promoteur", "provenance", "date_intervention", "sujets", "minutes",
          "refere_a", "notes"]
FINANCING_HEADER = ["dossier", "fonds", "organisation", "montant_demande", "montant_autorise",
                    "decision", "decide_le", "investissement", "emplois_crees",
                    "emplois_maintenus"]


@dataclass
class Timing:
    """How long an import and its repetition took, and what went wrong."""
    rows: int
    seconds: float
    again_seconds: float
    created: int
    problems: list[str]

    @property
    def rows_per_second(self) -> float:
        """Return the rows of the interventions file imported per second."""
        return self.rows / self.seconds if self.seconds else float("inf")


def _choice(generator: random.Random, list_name: str) -> str:
    """Return a code or, one time in three, its French label (as people type them)."""
    code, label_fr, _label_en = generator.choice(REFERENCE_DATA[list_name])
    return label_fr if generator.random() < 0.33 else code


def write_synthetic(folder: Path, rows: int, seed: int = 2018) -> tuple[Path, Path]:
    """Write a semicolon CSV of interventions and one of financing, Québec style."""
    generator = random.Random(seed)
    interventions, financing = folder / "interventions.csv", folder / "financement.csv"
    start = date(2016, 4, 1)
    organisations = [code for code, *_ in ORGANISATIONS]
    subjects = [code for code, *_ in REFERENCE_DATA["subject"]]
    with interventions.open("w", newline="", encoding="utf-8-sig") as out, \
            financing.open("w", newline="", encoding="utf-8-sig") as money:
        writer, lines = csv.writer(out, delimiter=";"), csv.writer(money, delimiter=";")
        writer.writerow(HEADER)
        lines.writerow(FINANCING_HEADER)
        for number in range(rows):
            index, position = divmod(number, INTERVENTIONS_PER_DOSSIER)
            if position == 0:
                local = random.Random(seed + index)
                reference = f"B-{index + 1:06d}"
                opened = start + timedelta(days=local.randrange(700))
                facts = [reference, f"Projet collectif n° {index + 1}",
                         opened.strftime("%d/%m/%Y")] + [
                    _choice(local, name) for name in ("territory", "sector", "stage",
                                                      "legal_form", "promoter_gender",
                                                      "origin")]
                if index % 4 == 0:
                    lines.writerow([reference, "fdt-es", "mrc-drummond", "12 500,00 $",
                                    "10 000,50 $", "autorisé", opened.isoformat(),
                                    "150 000 $", local.randrange(5), local.randrange(5)])
            day = opened + timedelta(days=position * 7)
            referred = generator.choice(organisations) if position == 1 and index % 3 == 0 \
                else ""
            writer.writerow(facts + [day.strftime("%d/%m/%Y"),
                                     "; ".join(generator.sample(subjects, generator.randint(1, 3))),
                                     generator.choice(["", "30", "60", "90"]), referred,
                                     f"Rencontre {position + 1}"])
    return interventions, financing


def run_benchmark(rows: int, folder: Path, create_app) -> Timing:
    """Import a synthetic file into a fresh database in `folder`, then import it again.

    `create_app` is the application factory: the benchmark builds an app of its own.
    """
    from caseflow.reference.seed import seed_reference_data

    interventions, financing = write_synthetic(folder, rows)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
                      "INSTANCE_PATH": str(folder), "SECRET_KEY": uuid.uuid4().hex,
                      "AUDIT_KEY": uuid.uuid4().hex})
    uploads = (Upload(interventions.name, interventions.read_bytes()),
               Upload(financing.name, financing.read_bytes()))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        seed_reference_data()
        db.session.commit()
        begin = time.perf_counter()
        result = run_import(*uploads)
        db.session.commit()
        seconds = time.perf_counter() - begin
        begin = time.perf_counter()
        again = run_import(*uploads)
        db.session.commit()
        again_seconds = time.perf_counter() - begin
        problems = [problem.line(with_file=True) for problem in result.problems]
        if again.changes:
            problems.append(f"importing the same files again created {again.changes} rows")
        db.session.remove()
        db.engine.dispose()
    return Timing(rows, seconds, again_seconds, result.changes, problems)
