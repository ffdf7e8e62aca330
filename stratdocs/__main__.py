from stratdocs.cli import main

main()
