from pipeline.cli import run

if __name__ == "__main__":  # worker processes (spawn) import this module again; they must not run the CLI
    run()
