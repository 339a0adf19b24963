"""The export data contract, read by the ingest readers, the simulator and the docs alike."""
