package io.difflab.api;

/** A dataset split. */
public enum Split { TRAIN, TEST }
