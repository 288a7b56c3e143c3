"""Pipeline steps as plain functions of the settings: the CLI, `vitrina run` and Airflow call these."""
