#!/usr/bin/env bash
# Placeholder dispatcher until the service scripts land: no services are needed yet.
set -euo pipefail
echo "services: none configured yet ($1)"
