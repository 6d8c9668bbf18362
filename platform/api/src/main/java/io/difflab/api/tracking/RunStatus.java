package io.difflab.api.tracking;

/** MLflow's run states. */
public enum RunStatus { RUNNING, SCHEDULED, FINISHED, FAILED, KILLED }
