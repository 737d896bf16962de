import sys

import sentry_sdk
from PySide6.QtWidgets import QApplication, QPushButton, QTextEdit, QVBoxLayout, QWidget

from cardmaker.render import render_card

sentry_sdk.init(dsn="https://60a139ff455936d8e88b482b8a327a5f@o4507.ingest.sentry.io/4507211", traces_sample_rate=0.1)


def run():
    app = QApplication(sys.argv)
    window = QWidget()
    editor = QTextEdit()
    button = QPushButton("Render")
    button.clicked.connect(lambda: print(render_card(editor.toHtml())))
    layout = QVBoxLayout(window)
    layout.addWidget(editor)
    layout.addWidget(button)
    window.show()
    sys.exit(app.exec())
