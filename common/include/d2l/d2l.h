// Umbrella header: everything sections 3.1-3.7 use from the d2l library.
#pragma once

#include "d2l/accumulator.h"
#include "d2l/app.h"
#include "d2l/data.h"
#include "d2l/error.h"
#include "d2l/fashion_mnist.h"
#include "d2l/io.h"
#include "d2l/linreg.h"
#include "d2l/numeric_setup.h"
#include "d2l/plot.h"
#include "d2l/pyrandom.h"
#include "d2l/tensor_str.h"
#include "d2l/timer.h"
#include "d2l/train.h"
