"""The Teams app package an administrator uploads: manifest, icons (`iro teams package --out app.zip`).

    manifest.py   the manifest (schema v1.30, bot, webApplicationInfo), from the deployment's ids and host
    icons.py      the colour 192x192 and outline 32x32 icons, drawn here (no image files kept in the repo)
    package.py    the zip: manifest.json, color.png, outline.png
    tools/        npm: Microsoft's Agents Playground and the published manifest schemas (tests only)
"""
