"""A generated agenda of N commitments (default 10,000) in the seeds' own
format, loaded through the real loader: realistic words, the real areas and
departments, 40 documents, a few hundred recurring mechanisms.

    python bench/generate_agenda.py sqlite:///big.db --commitments 10000
"""

from __future__ import annotations

import argparse
import random
import time

from models.db import make_engine, migrate, session
from seeds.catalogue import SeedAgenda, read_agenda
from seeds.loader import load_seeds
from seeds.schema import CadenceSeed, Catalogue, CommitmentSeed, DocumentSeed, MechanismSeed

WORDS = (
    "terrorism nuclear peacekeeping Afghanistan IAEA disarmament landmines maritime security "
    "cooperation dialogue symposium capacity building export controls transnational crime "
    "humanitarian assistance disaster relief health security vaccines energy LNG trade CPTPP "
    "climate Pacific rule of law UNCLOS North Korea sanctions civilian police training exchange "
    "officials defence ministers consultations ASEAN Regional Forum small arms Ottawa Convention"
).split()
VERBS = ["will strengthen", "will explore", "will continue", "will coordinate", "will support", "will promote"]


def generate(n: int, *, seed: int = 2026) -> SeedAgenda:
    rng = random.Random(seed)
    real = read_agenda().catalogue
    areas = [a.key for a in real.areas]
    departments = [d.key for d in real.departments]
    documents = [
        DocumentSeed(
            key=f"generated-{year}",
            title=f"Generated agenda {year}",
            short_title=f"{year} generated",
            source_file="generated.txt",
            date=f"{year}-06-01",
            date_note="Generated for benchmarks.",
        )
        for year in range(1985, 2025)
    ]
    commitments: list[tuple[str, CommitmentSeed]] = []
    mechanisms: list[MechanismSeed] = []
    for i in range(n):
        document = documents[i % len(documents)]
        year = document.date[:4]
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40)))
        mechanism = None
        if i % 30 == 0:
            mechanism = f"mechanism-{i}"
            mechanisms.append(
                MechanismSeed(
                    key=mechanism,
                    name=f"Generated talks {i}",
                    areas=[rng.choice(areas)],
                    owners=rng.sample(departments, 2),
                    alternates_host=True,
                    cadences=[
                        CadenceSeed(
                            rrule=f"FREQ=YEARLY;INTERVAL={rng.choice([1, 2, 5])}",
                            stated="every few years",
                            commitment=f"{year}-G{i}",
                            effective=document.date,
                        )
                    ],
                )
            )
        commitments.append(
            (
                document.key,
                CommitmentSeed(
                    id=f"{year}-G{i}",
                    title=f"Generated commitment {i}: {words[:40]}",
                    section=f"Section {i % 12}",
                    text=f"The Governments of Canada and Japan {rng.choice(VERBS)} {words}.",
                    areas=rng.sample(areas, rng.randint(1, 3)),
                    kind="recurring_mechanism"
                    if mechanism
                    else rng.choice(["ongoing_cooperation", "deadline", "position"]),
                    due=f"{rng.randint(1990, 2035)}-12-31" if i % 7 == 0 else None,
                    mechanism=mechanism,
                    organisations=rng.sample(["UN", "G8", "IAEA", "ASEAN", "APEC", "WTO"], 2),
                    owners=rng.sample(departments, 2),
                ),
            )
        )
    catalogue = Catalogue(documents=documents, areas=real.areas, departments=real.departments, mechanisms=mechanisms)
    return SeedAgenda(catalogue=catalogue, commitments=commitments)


def load(url: str, n: int) -> float:
    """Migrate, load the generated agenda; returns the seconds it took."""
    engine = make_engine(url)
    migrate(engine)
    started = time.perf_counter()
    with session(engine) as db:
        load_seeds(db, generate(n))
    engine.dispose()
    return time.perf_counter() - started


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url")
    parser.add_argument("--commitments", type=int, default=10_000)
    args = parser.parse_args()
    print(f"loaded {args.commitments} commitments in {load(args.database_url, args.commitments):.1f}s")
