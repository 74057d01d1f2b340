#!/usr/bin/env python3
"""What scripts/e2e-guest reads from the IM's Kubernetes API (the embedded one that `serve` prints) and
files it rewrites for the real guest. Standard library plus PyYAML (Debian: python3-yaml).

  cluster.py cloud-init API NAMESPACE JOB_ID OUT_DIR
      the job's cloud-init Secret vm-<job>-0-cloud-init, decoded: OUT_DIR/user-data, OUT_DIR/network-config
  cluster.py shares API NAMESPACE JOB_ID
      one line per virtiofs filesystem of the job's VM: <tag> TAB <host folder> (tag = filesystem name, the
      PVC behind its volume, the HostPath of the PV bound to it)
  cluster.py to-9p USER_DATA
      rewrites the user data's mount units from virtiofs to 9p (virtio transport), in place; prints each unit
  cluster.py mounts-9p MOUNTS_YML
      adds fsType: 9p to every entry of the agent's mounts file, in place; prints each entry
"""
import base64
import json
import re
import sys
import urllib.error
import urllib.request

import yaml

NINE_P_OPTIONS = "trans=virtio,version=9p2000.L"


def get(api, path):
    url = api.rstrip("/") + path
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        sys.exit(f"cluster.py: GET {url}: HTTP {e.code}")


def vm_name(job_id):
    return f"vm-{job_id}-0"


def cloud_init(api, namespace, job_id, out_dir):
    secret = get(api, f"/api/v1/namespaces/{namespace}/secrets/{vm_name(job_id)}-cloud-init")
    data = secret.get("data") or {}
    for key, file in (("userdata", "user-data"), ("networkdata", "network-config")):
        if key not in data:
            sys.exit(f"cluster.py: the cloud-init Secret has no '{key}'")
        with open(f"{out_dir}/{file}", "wb") as out:
            out.write(base64.b64decode(data[key]))


def shares(api, namespace, job_id):
    vm = get(api, f"/apis/kubevirt.io/v1/namespaces/{namespace}/virtualmachines/{vm_name(job_id)}")
    spec = vm["spec"]["template"]["spec"]
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"]
              for v in spec.get("volumes", []) if "persistentVolumeClaim" in v}
    for fs in spec["domain"]["devices"].get("filesystems", []):
        name = fs["name"]
        if name not in claims:
            sys.exit(f"cluster.py: filesystem '{name}' has no PVC volume")
        pvc = get(api, f"/api/v1/namespaces/{namespace}/persistentvolumeclaims/{claims[name]}")
        volume = pvc["spec"].get("volumeName")
        if not volume:
            sys.exit(f"cluster.py: PVC {claims[name]} names no volume")
        pv = get(api, f"/api/v1/persistentvolumes/{volume}")
        host_path = (pv["spec"].get("hostPath") or {}).get("path")
        if not host_path:
            sys.exit(f"cluster.py: PV {volume} is not a HostPath volume (the e2e test needs HostPath storage)")
        print(f"{name}\t{host_path}")


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line strings (the units) as literal blocks, as the IM does, so the seed stays readable."""


_LiteralDumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def to_9p(user_data_file):
    with open(user_data_file) as f:
        text = f.read()
    header, _, body = text.partition("\n")
    doc = yaml.safe_load(body)
    changed = 0
    for entry in doc.get("write_files", []):
        if not entry["path"].endswith(".mount"):
            continue
        content = entry["content"]
        if not re.search(r"^Type=virtiofs$", content, re.M):
            continue
        content = re.sub(r"^Type=virtiofs$", "Type=9p", content, flags=re.M)
        content = re.sub(r"^Options=(.*)$", lambda m: f"Options={NINE_P_OPTIONS},{m.group(1)}", content,
                         flags=re.M)
        entry["content"] = content
        changed += 1
        what = re.search(r"^What=(.*)$", content, re.M).group(1)
        where = re.search(r"^Where=(.*)$", content, re.M).group(1)
        options = re.search(r"^Options=(.*)$", content, re.M).group(1)
        print(f"{entry['path']}: {what} -> {where} (9p, {options})")
    if changed == 0:
        sys.exit("cluster.py: the user data has no virtiofs mount unit to switch to 9p")
    with open(user_data_file, "w") as f:
        f.write(header + "\n" + yaml.dump(doc, Dumper=_LiteralDumper, sort_keys=False, width=1000))


def mounts_9p(mounts_file):
    with open(mounts_file) as f:
        doc = yaml.safe_load(f) or {}
    for entry in doc.get("mounts") or []:
        entry["fsType"] = "9p"
        print(f"{entry['tag']} -> {entry['path']} ({'ro' if entry.get('readOnly') else 'rw'}, 9p)")
    with open(mounts_file, "w") as f:
        yaml.safe_dump(doc, f, sort_keys=False)


def main(argv):
    commands = {"cloud-init": (cloud_init, 4), "shares": (shares, 3), "to-9p": (to_9p, 1),
                "mounts-9p": (mounts_9p, 1)}
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        sys.exit(__doc__)
    function, _ = commands[argv[1]]
    function(*argv[2:])


if __name__ == "__main__":
    main(sys.argv)
