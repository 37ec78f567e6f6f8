#!/usr/bin/env python3
"""Sets up a fresh privacyIDEA database in one process (keys, tables, admin, resolver, realm,
policies), instead of five `pi-manage` calls that each spend about 3 s loading the app.

usage: PRIVACYIDEA_CONFIGFILE=.../pi.cfg python bootstrap.py pi-config.yaml ADMIN_PASSWORD
Mirrors `pi-manage setup create_enckey/create_audit_keys/create_tables`, `admin add` and
`config import` (see ../../../shared/docs/privacyidea-test-server.md, section 6)."""
import os
import sys

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

cfg_file = os.environ["PRIVACYIDEA_CONFIGFILE"]
cfg = {}
with open(cfg_file) as f:
    exec(f.read(), {}, cfg)  # pi.cfg is plain Python assignments
with open(cfg["PI_ENCFILE"], "wb") as f:  # 96 random bytes, like `setup create_enckey`
    f.write(os.urandom(96))
os.chmod(cfg["PI_ENCFILE"], 0o400)
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
with open(cfg["PI_AUDIT_KEY_PRIVATE"], "wb") as f:
    f.write(key.private_bytes(serialization.Encoding.PEM,
                              serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.NoEncryption()))
os.chmod(cfg["PI_AUDIT_KEY_PRIVATE"], 0o400)
with open(cfg["PI_AUDIT_KEY_PUBLIC"], "wb") as f:
    f.write(key.public_key().public_bytes(serialization.Encoding.PEM,
                                          serialization.PublicFormat.SubjectPublicKeyInfo))

from privacyidea.app import create_app  # noqa: E402  (needs the config file above)

app = create_app(config_name="production", config_file=cfg_file, silent=True)
with app.app_context():
    from flask_migrate import stamp
    from privacyidea.lib.auth import create_db_admin
    from privacyidea.lib.utils.export import IMPORT_FUNCTIONS
    from privacyidea.models import db

    db.create_all()
    stamp()
    db.session.commit()
    create_db_admin("admin", None, sys.argv[2])
    with open(sys.argv[1]) as f:
        data = yaml.safe_load(f)
    for typ, imp in sorted(IMPORT_FUNCTIONS.items(), key=lambda x: x[1]["prio"]):
        if typ in data:
            imp["func"](data[typ], name=None)
print("bootstrap done", file=sys.stderr)
