#!/usr/bin/env bash
# Installs what the demo and the tests need beyond the .NET SDK on a fresh Debian machine:
# GLFW and Mesa for the window, Xvfb for windowed tests, fonts for text, and Debian's
# Fashion-MNIST package for the real-data training test. Safe to run again; needs root (or sudo).
set -euo pipefail
packages=(libglfw3 libgl1 libegl1 libgl1-mesa-dri xvfb xauth fonts-dejavu-core libfontconfig1 dataset-fashion-mnist)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup.sh: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
