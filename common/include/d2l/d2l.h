// Umbrella header: everything sections 3.1-3.7 use: the book's library
// (d2l/*.h) and the harness that runs it (d2l/harness/*.h).
#pragma once

#include "d2l/accumulator.h"
#include "d2l/data.h"
#include "d2l/error.h"
#include "d2l/fashion_mnist.h"
#include "d2l/idx.h"
#include "d2l/io.h"
#include "d2l/linreg.h"
#include "d2l/plot.h"
#include "d2l/process.h"
#include "d2l/pyrandom.h"
#include "d2l/tensor_str.h"
#include "d2l/timer.h"
#include "d2l/train.h"
// The harness: the command line, the start-up, errors to exit codes.
#include "d2l/harness/app.h"
#include "d2l/harness/errors.h"
#include "d2l/harness/numeric_setup.h"
