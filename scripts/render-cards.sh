#!/usr/bin/env bash
# Regenerates docs/cards/*.png: the gallery test (tests/FusionBot.UnitTests/Cards/CardGalleryTests.cs) builds the main
# cards with the real card builders, validates them and writes them as JSON; tools/cardrender draws each one with the
# official Adaptive Cards renderer in headless chromium. Run it after changing a card and commit the PNGs it changes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/bootstrap.sh

cards=$(mktemp -d)
trap 'rm -rf "$cards"' EXIT
dotnet build tests/FusionBot.UnitTests --nologo -v q
FUSIONBOT_CARD_GALLERY_DIR="$cards" dotnet test tests/FusionBot.UnitTests --no-build --nologo \
  --filter "FullyQualifiedName~FusionBot.UnitTests.Cards.CardGalleryTests"

# Start from an empty folder so a card taken out of the gallery loses its picture too.
rm -f docs/cards/*.png
node tools/cardrender/render.js "$cards" docs/cards /usr/bin/chromium 2> >(grep -v -e dbus -e 'unexpected operator' >&2)
